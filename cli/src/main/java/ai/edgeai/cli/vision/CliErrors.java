package ai.edgeai.cli.vision;

import java.io.PrintWriter;

/** One-line messages in the CLI's format. */
final class CliErrors {
  static final int EXIT_USAGE = 2;

  private CliErrors() {}

  static int usage(PrintWriter err, String message) {
    err.println("edgeai: error: " + message);
    err.flush();
    return EXIT_USAGE;
  }

  static void warn(PrintWriter err, String message) {
    err.println("edgeai: warning: " + message);
    err.flush();
  }
}
