package ai.edgeai.cli.config;

/**
 * The configuration file cannot be used. The message is one line naming the file and, when the
 * content is at fault, the key's full path. The CLI reports it as a usage error (exit code 2).
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
