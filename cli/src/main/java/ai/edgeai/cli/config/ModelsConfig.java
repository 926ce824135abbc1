package ai.edgeai.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * Section {@code models}: where model files live.
 *
 * @param dir the models folder; absolute once loaded by {@link ConfigLoader} (null only between
 *     parsing and resolution, meaning "the default folder")
 */
public record ModelsConfig(Path dir) {

  static final ModelsConfig DEFAULT = new ModelsConfig(null);

  @JsonCreator
  static ModelsConfig of(@JsonProperty("dir") String dir) {
    if (dir != null && dir.isBlank()) {
      throw new IllegalArgumentException("dir: must not be empty");
    }
    return new ModelsConfig(dir == null ? null : Path.of(dir));
  }
}
