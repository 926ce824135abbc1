package ai.edgeai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.config.HostEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

  @TempDir Path tmp;
  HostEnvironment host;

  @BeforeEach
  void isolate() {
    host = CliRunner.isolated(tmp);
  }

  /** A command that fails at run time, standing in for any real runtime failure. */
  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    final RuntimeException failure;

    Boom(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() {
      throw failure;
    }
  }

  /** Records what the global options looked like when the subcommand ran. */
  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @CommandLine.ParentCommand Main main;
    GlobalOptions seen;
    Path configSource;

    @Override
    public Integer call() {
      seen = main.options();
      configSource = main.config().source().orElse(null);
      return 0;
    }
  }

  private CliRunner.Result runWith(Object subcommand, String... args) {
    return CliRunner.run(host, cl -> cl.addSubcommand(subcommand), args);
  }

  private static void assertUsageError(CliRunner.Result r, String expectedMessage, String hintFor) {
    assertEquals(Main.EXIT_USAGE, r.exit(), r.err());
    String[] lines = r.errLines();
    assertEquals(2, lines.length, "one message line and one hint line: " + r.err());
    assertEquals("edgeai: error: " + expectedMessage, lines[0]);
    assertEquals("Try '" + hintFor + " --help' for more information.", lines[1]);
    assertEquals("", r.out());
  }

  @Test
  void versionPrintsTheEdgeaiAndJavaVersion() {
    CliRunner.Result r = CliRunner.run(host, "--version");
    assertEquals(0, r.exit());
    assertTrue(r.out().startsWith("edgeai " + BuildInfo.version() + System.lineSeparator()),
        r.out());
    assertTrue(r.out().contains("Java " + Runtime.version()), r.out());
    assertFalse(BuildInfo.version().contains("${"), "version must be filtered by Maven");
  }

  @Test
  void helpListsTheCommandsAndGlobalOptions() {
    CliRunner.Result r = CliRunner.run(host, "--help");
    assertEquals(0, r.exit());
    for (String s : new String[] {"doctor", "--verbose", "--quiet", "--config=FILE", "--version"}) {
      assertTrue(r.out().contains(s), "help mentions " + s + ":\n" + r.out());
    }
  }

  @Test
  void subcommandsHaveTheirOwnHelpWithTheGlobalOptions() {
    for (String[] args : new String[][] {{"doctor", "--help"}, {"help", "doctor"}}) {
      CliRunner.Result r = CliRunner.run(host, args);
      assertEquals(0, r.exit());
      assertTrue(r.out().startsWith("Usage: edgeai doctor"), r.out());
      assertTrue(r.out().contains("--json") && r.out().contains("--config=FILE")
          && r.out().contains("--verbose"), r.out());
    }
  }

  @Test
  void noCommandPrintsUsageToStderrAndExits2() {
    CliRunner.Result r = CliRunner.run(host);
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.err().startsWith("Usage: edgeai"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void unknownCommandIsOneLineWithAHint() {
    assertUsageError(CliRunner.run(host, "xyzzy"), "unknown command 'xyzzy'", "edgeai");
  }

  @Test
  void misspelledCommandGetsASuggestion() {
    CliRunner.Result r = CliRunner.run(host, "doctr");
    assertEquals(Main.EXIT_USAGE, r.exit(), r.err());
    String[] lines = r.errLines();
    assertEquals(2, lines.length, r.err());
    // The closest command comes first; others may follow as more commands exist.
    assertTrue(lines[0].startsWith("edgeai: error: unknown command 'doctr' (did you mean doctor"), lines[0]);
    assertEquals("Try 'edgeai --help' for more information.", lines[1]);
  }

  @Test
  void unknownOptionNamesTheOptionAndTheSubcommandsHelp() {
    assertUsageError(CliRunner.run(host, "doctor", "--frobnicate"),
        "Unknown option: '--frobnicate'", "edgeai doctor");
    assertUsageError(CliRunner.run(host, "--frobnicate"), "Unknown option: '--frobnicate'",
        "edgeai");
  }

  @Test
  void missingOptionValueIsAUsageError() {
    assertUsageError(CliRunner.run(host, "doctor", "--config"),
        "Missing required parameter for option '--config' (FILE)", "edgeai doctor");
  }

  @Test
  void badOptionValueIsAUsageError() {
    assertUsageError(CliRunner.run(host, "doctor", "--bandwidth-mib", "lots"),
        "Invalid value for option '--bandwidth-mib': 'lots' is not an int", "edgeai doctor");
    assertUsageError(CliRunner.run(host, "doctor", "--bandwidth-mib", "-1"),
        "--bandwidth-mib must be 0 or more, got -1", "edgeai doctor");
  }

  @Test
  void verboseAndQuietTogetherIsAUsageError() {
    assertUsageError(CliRunner.run(host, "-v", "doctor", "-q"),
        "-v/--verbose and -q/--quiet cannot be used together", "edgeai doctor");
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheSubcommand() throws IOException {
    Path config = Files.writeString(tmp.resolve("my.yaml"), "llm:\n  threads: 2\n");
    for (String[] args : new String[][] {
        {"-v", "--config", config.toString(), "probe"},
        {"probe", "-v", "--config", config.toString()}}) {
      Probe probe = new Probe();
      CliRunner.Result r = runWith(probe, args);
      assertEquals(0, r.exit(), r.err());
      assertTrue(probe.seen.verbose(), String.join(" ", args));
      assertFalse(probe.seen.quiet());
      assertEquals(config, probe.configSource);
    }
  }

  @Test
  void runtimeFailureIsExit1WithOneLineAndNoStackTrace() {
    CliRunner.Result r = runWith(new Boom(new IllegalStateException("disk on fire")), "boom");
    assertEquals(Main.EXIT_FAILURE, r.exit());
    assertEquals(1, r.errLines().length, r.err());
    assertEquals("edgeai: error: disk on fire", r.errLines()[0]);
  }

  @Test
  void runtimeFailureWithoutMessageNamesTheExceptionType() {
    CliRunner.Result r = runWith(new Boom(new NullPointerException()), "boom");
    assertEquals(Main.EXIT_FAILURE, r.exit());
    assertEquals("edgeai: error: NullPointerException", r.err().strip());
  }

  @Test
  void multiLineFailureMessagesAreFoldedIntoOneLine() {
    CliRunner.Result r = runWith(new Boom(new IllegalStateException("first\n  second")), "boom");
    assertEquals("edgeai: error: first second", r.err().strip());
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheErrorLine() {
    for (String[] args : new String[][] {{"-v", "boom"}, {"boom", "--verbose"}}) {
      CliRunner.Result r = runWith(new Boom(new IllegalStateException("disk on fire")), args);
      assertEquals(Main.EXIT_FAILURE, r.exit());
      String[] lines = r.errLines();
      assertEquals("edgeai: error: disk on fire", lines[0]);
      assertEquals("java.lang.IllegalStateException: disk on fire", lines[1]);
      assertTrue(lines[2].strip().startsWith("at "), r.err());
    }
  }

  @Test
  void badConfigFileIsExit2WithOneLineNamingFileAndKey() throws IOException {
    Path config = Files.writeString(tmp.resolve("bad.yaml"), "mqtt:\n  port: abc\n");
    CliRunner.Result r = CliRunner.run(host, "doctor", "--config", config.toString());
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertEquals(1, r.errLines().length, r.err());
    assertEquals("edgeai: error: " + config + ": mqtt.port: expected an integer, got \"abc\"",
        r.errLines()[0]);
  }

  @Test
  void unknownConfigKeyIsExit2() throws IOException {
    Path config = Files.writeString(tmp.resolve("bad.yaml"), "llm:\n  thread: 4\n");
    CliRunner.Result r = CliRunner.run(host, "--config", config.toString(), "doctor");
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertEquals(List.of("edgeai: error: " + config
        + ": llm.thread: unknown key (known keys here: threads)"), List.of(r.errLines()));
  }

  @Test
  void unreadableConfigFileIsExit2NamingTheFile() {
    Path missing = tmp.resolve("nowhere.yaml");
    CliRunner.Result r = CliRunner.run(host, "doctor", "--config", missing.toString());
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertEquals(List.of("edgeai: error: cannot read config file " + missing + ": no such file"),
        List.of(r.errLines()));
  }

  @Test
  void malformedYamlIsExit2NamingTheFileAndLine() throws IOException {
    Path config = Files.writeString(tmp.resolve("bad.yaml"), "mqtt: [1\n");
    CliRunner.Result r = CliRunner.run(host, "doctor", "--config", config.toString());
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.errLines()[0].startsWith("edgeai: error: " + config + ": malformed YAML: "),
        r.err());
    assertTrue(r.errLines()[0].contains("(line 2, column 1)"), r.err());
  }

  @Test
  void brokenConfigInTheWorkingDirectoryIsFoundWithoutFlags() throws IOException {
    Files.writeString(host.workingDir().resolve("edgeai.yaml"), "camera: []\n");
    CliRunner.Result r = CliRunner.run(host, "doctor");
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.err().startsWith("edgeai: error: " + host.workingDir().resolve("edgeai.yaml")
        + ": camera: unknown key"), r.err());
  }

  @Test
  void helpAndVersionDoNotNeedAValidConfig() throws IOException {
    Files.writeString(host.workingDir().resolve("edgeai.yaml"), "nonsense: 1\n");
    assertEquals(0, CliRunner.run(host, "--version").exit());
    assertEquals(0, CliRunner.run(host, "doctor", "--help").exit());
  }
}
