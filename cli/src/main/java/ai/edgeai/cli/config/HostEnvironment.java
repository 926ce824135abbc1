package ai.edgeai.cli.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of the process environment that decide where edgeai looks for files. Tests pass
 * their own so that the developer's real {@code ~/.config} never leaks in.
 *
 * @param workingDir the current directory (for {@code ./edgeai.yaml})
 * @param home the user's home folder
 * @param env environment variables ({@code XDG_CONFIG_HOME}, {@code XDG_DATA_HOME})
 */
public record HostEnvironment(Path workingDir, Path home, Map<String, String> env) {

  public HostEnvironment {
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(home, "home");
    env = Map.copyOf(env);
  }

  /** The environment of this process. */
  public static HostEnvironment current() {
    return new HostEnvironment(
        Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")), System.getenv());
  }

  /** {@code $XDG_CONFIG_HOME/edgeai}, or {@code ~/.config/edgeai}. */
  public Path userConfigDir() {
    return xdg("XDG_CONFIG_HOME", ".config").resolve("edgeai");
  }

  /** {@code $XDG_DATA_HOME/edgeai/models}, or {@code ~/.local/share/edgeai/models}. */
  public Path defaultModelsDir() {
    return xdg("XDG_DATA_HOME", ".local/share").resolve("edgeai").resolve("models");
  }

  private Path xdg(String variable, String fallbackUnderHome) {
    String value = env.get(variable);
    // The XDG spec says relative values are invalid and must be ignored.
    if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
      return Path.of(value);
    }
    return home.resolve(fallbackUnderHome);
  }
}
