package ai.edgeai.cli;

import ai.edgeai.cli.config.LoggingConfig;

/**
 * Configures slf4j-simple (the CLI's SLF4J backend) from {@code -v}/{@code -q} and the config file.
 *
 * <p>slf4j-simple reads its settings once, when the first logger is created, so this must run
 * before any class asks for a logger: keep loggers out of static initialisers of classes that
 * picocli instantiates while building the command line. In a JVM that runs the CLI several times
 * (the tests), the first configuration wins.
 */
final class Logging {

  private Logging() {}

  static LoggingConfig.Level effectiveLevel(GlobalOptions options, LoggingConfig config) {
    if (options.verbose()) return LoggingConfig.Level.DEBUG;
    if (options.quiet()) return LoggingConfig.Level.ERROR;
    return config.level();
  }

  static void configure(LoggingConfig.Level level) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level.lowerCase());
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
  }

  // A -D on the java command line still overrides, for debugging one logger.
  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
