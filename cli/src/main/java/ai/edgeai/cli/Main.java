package ai.edgeai.cli;

import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * Entry point of the {@code edgeai} command.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage error. Errors are printed as one line;
 * the stack trace follows only with {@code -v}.
 */
@Command(
    name = "edgeai",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Generative AI and computer vision on the edge device.",
    subcommands = {CommandLine.HelpCommand.class, ai.edgeai.cli.track.TrackCommand.class})
public final class Main implements Runnable {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI with the given arguments and returns the exit code (tests call this). */
  public static int run(String... args) {
    return newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args);
  }

  /** Builds the command line with the given output streams, so tests can capture them. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("edgeai: error: " + ex.getMessage());
          cmd.getErr().flush();
          return EXIT_FAILURE;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version Maven filtered into the jar's resources. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws Exception {
      Properties p = new Properties();
      try (var in = Main.class.getResourceAsStream("/edgeai-version.properties")) {
        if (in != null) p.load(in);
      }
      return new String[] {
        "edgeai " + p.getProperty("version", "unknown"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
      };
    }
  }
}
