package ai.edgeai.cli;

import ai.edgeai.cli.config.ConfigException;
import ai.edgeai.cli.config.ConfigLoader;
import ai.edgeai.cli.config.HostEnvironment;
import ai.edgeai.cli.config.LoadedConfig;
import ai.edgeai.cli.doctor.DoctorCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code edgeai} command.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage error (bad command line or bad
 * configuration file). Errors are printed as one line {@code edgeai: error: ...}; the stack trace
 * follows only with {@code -v}.
 */
@Command(
    name = "edgeai",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Generative AI and computer vision on the edge device.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DoctorCommand.class,
      ai.edgeai.cli.llm.GenerateCommand.class,
      ai.edgeai.cli.llm.ModelCommand.class,
      ai.edgeai.cli.llm.QuantizeCommand.class,
      ai.edgeai.cli.llm.TokenizeCommand.class,
      ai.edgeai.cli.llm.ConvertCommand.class,
      ai.edgeai.cli.llm.SynthCommand.class,
      ai.edgeai.cli.vision.DetectCommand.class,
      ai.edgeai.cli.vision.FacesCommand.class,
      BenchCommand.class,
      ai.edgeai.cli.node.RunCommand.class,
      ai.edgeai.cli.node.DemoCommand.class,
      ai.edgeai.cli.track.TrackCommand.class,
      ai.edgeai.cli.server.ChatCommand.class,
      ai.edgeai.cli.server.ServeCommand.class,
    })
public final class Main implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin GlobalOptions global = new GlobalOptions();

  private final HostEnvironment host;
  private LoadedConfig loadedConfig;

  private Main(HostEnvironment host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI with the given arguments and returns the exit code. */
  public static int run(String... args) {
    return newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args);
  }

  /** Builds the command line with the given output streams, so tests can capture them. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    return newCommandLine(out, err, HostEnvironment.current());
  }

  /** As {@link #newCommandLine(PrintWriter, PrintWriter)}, with the environment to find files in. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err, HostEnvironment host) {
    Main main = new Main(host);
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionStrategy(main::execute);
    cl.setParameterExceptionHandler(Main::handleParameterException);
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> main.handleFailure(ex, cmd));
    return cl;
  }

  /** The configuration in effect; available to subcommands while they run. */
  public LoadedConfig config() {
    if (loadedConfig == null) {
      throw new IllegalStateException("configuration is loaded only when a command runs");
    }
    return loadedConfig;
  }

  /** The options given on the command line. */
  public GlobalOptions options() {
    return global;
  }

  /** Without a subcommand: the usage goes to stderr and it counts as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  /** Runs between parsing and the command: help, option checks, configuration, logging. */
  private int execute(ParseResult parseResult) {
    Integer helpExit = CommandLine.executeHelpRequest(parseResult);
    if (helpExit != null) {
      return helpExit;
    }
    CommandLine last = lastCommand(parseResult);
    if (global.verbose && global.quiet) {
      throw new ParameterException(last, "-v/--verbose and -q/--quiet cannot be used together");
    }
    if (last.getCommand() != this) {
      try {
        loadedConfig = ConfigLoader.load(global.config, host);
      } catch (ConfigException e) {
        return handleFailure(e, last);
      }
      Logging.configure(Logging.effectiveLevel(global, loadedConfig.config().logging()));
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  private static CommandLine lastCommand(ParseResult parseResult) {
    List<CommandLine> parsed = parseResult.asCommandLineList();
    return parsed.get(parsed.size() - 1);
  }

  private int handleFailure(Exception ex, CommandLine cmd) {
    // The root's writer: subcommands added after construction do not share it.
    PrintWriter err = spec.commandLine().getErr();
    if (ex instanceof ParameterException pe) {
      return handleParameterException(pe, new String[0]);
    }
    String message = ex.getMessage() == null || ex.getMessage().isBlank()
        ? ex.getClass().getSimpleName() : oneLine(ex.getMessage());
    err.println("edgeai: error: " + message);
    if (global.verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ex instanceof ConfigException ? EXIT_USAGE : EXIT_FAILURE;
  }

  /** One line saying what is wrong, one line pointing at the help; never the whole usage. */
  private static int handleParameterException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getCommandSpec().root().commandLine().getErr();
    String message = oneLine(ex.getMessage());
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      message = "unknown command '" + u.getUnmatched().get(0) + "'";
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += " (did you mean " + String.join(" or ", suggestions) + "?)";
      }
    }
    err.println("edgeai: error: " + message);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return EXIT_USAGE;
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** The version lines of {@code edgeai --version}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "edgeai " + BuildInfo.version(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
      };
    }
  }

}
