package ai.edgeai.cli;

import ai.edgeai.cli.config.HostEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the CLI in-process with captured output and an isolated environment. */
public final class CliRunner {

  /** Exit code and captured output of one run. */
  public record Result(int exit, String out, String err) {
    public String[] errLines() {
      return err.isEmpty() ? new String[0] : err.split("\\R");
    }
  }

  private CliRunner() {}

  /**
   * A host environment rooted in {@code dir}: working folder {@code dir/work}, home
   * {@code dir/home}, no XDG variables, so nothing from the developer's machine is read.
   */
  public static HostEnvironment isolated(Path dir) {
    try {
      Path work = Files.createDirectories(dir.resolve("work"));
      Path home = Files.createDirectories(dir.resolve("home"));
      return new HostEnvironment(work, home, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Result run(HostEnvironment host, String... args) {
    return run(host, cl -> {}, args);
  }

  /** As {@link #run(HostEnvironment, String...)}, letting the test adjust the command line. */
  public static Result run(HostEnvironment host, Consumer<CommandLine> customize, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine(new PrintWriter(out), new PrintWriter(err), host);
    customize.accept(cl);
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
