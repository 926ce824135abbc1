package ai.edgeai.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Section {@code logging}.
 *
 * @param level the log level when neither {@code -v} nor {@code -q} is given
 */
public record LoggingConfig(Level level) {

  static final LoggingConfig DEFAULT = new LoggingConfig(Level.INFO);

  /** Log levels, least to most verbose. */
  public enum Level {
    ERROR, WARN, INFO, DEBUG, TRACE;

    /** The name as written in the config file and understood by slf4j-simple. */
    public String lowerCase() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LoggingConfig {
    java.util.Objects.requireNonNull(level, "level");
  }

  @JsonCreator
  static LoggingConfig of(@JsonProperty("level") Level level) {
    return new LoggingConfig(level != null ? level : DEFAULT.level);
  }
}
