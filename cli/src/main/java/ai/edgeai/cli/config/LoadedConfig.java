package ai.edgeai.cli.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A configuration and where it came from.
 *
 * @param config the effective configuration, paths resolved
 * @param source the file it was read from; empty when no file was found and defaults apply
 */
public record LoadedConfig(EdgeaiConfig config, Optional<Path> source) {
  public LoadedConfig {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(source, "source");
  }
}
