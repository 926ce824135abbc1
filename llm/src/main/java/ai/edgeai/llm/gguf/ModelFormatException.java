package ai.edgeai.llm.gguf;

import java.nio.file.Path;

/**
 * A model file is not what it claims to be: bad magic, unsupported version, a count, offset or
 * dimension that does not fit the file, a missing key or tensor. The message always names the file
 * and the key or tensor that is wrong.
 */
public class ModelFormatException extends RuntimeException {

  private final Path file;

  public ModelFormatException(Path file, String message) {
    super((file == null ? "<memory>" : file.toString()) + ": " + message);
    this.file = file;
  }

  public ModelFormatException(Path file, String message, Throwable cause) {
    super((file == null ? "<memory>" : file.toString()) + ": " + message, cause);
    this.file = file;
  }

  /** The file that is wrong, or null for an in-memory source. */
  public Path file() {
    return file;
  }
}
