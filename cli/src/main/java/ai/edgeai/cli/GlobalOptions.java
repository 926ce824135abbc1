package ai.edgeai.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, before or after the subcommand name ({@code edgeai -v doctor}
 * and {@code edgeai doctor -v} are the same). Mixed into {@link Main} with inherited scope, so
 * subcommands get them without declaring anything.
 */
public final class GlobalOptions {

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log debug messages and print stack traces of errors.")
  boolean verbose;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "Log errors only.")
  boolean quiet;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Configuration file (default: ./edgeai.yaml, then "
          + "$XDG_CONFIG_HOME/edgeai/edgeai.yaml or ~/.config/edgeai/edgeai.yaml).")
  Path config;

  public boolean verbose() {
    return verbose;
  }

  public boolean quiet() {
    return quiet;
  }

  /** The {@code --config} file, or null when not given. */
  public Path config() {
    return config;
  }
}
