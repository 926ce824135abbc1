package ai.edgeai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code ./edgeai} launcher as a subprocess, from a folder outside the repository.
 * An integration test (Failsafe) because it needs the packaged jar.
 */
class LauncherIT {

  static final Path LAUNCHER = Path.of("..", "edgeai").toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  private Run launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
        .redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().put("HOME", tmp.toString());
    pb.environment().remove("XDG_CONFIG_HOME");
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher finished");
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  /** The JVM's incubator notice is expected on stderr; everything else is ours. */
  private static List<String> ourLines(String err) {
    return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
  }

  @Test
  void versionWorksFromAnyDirectory() throws Exception {
    Run r = launch("--version");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("edgeai " + BuildInfo.version()), r.out());
  }

  @Test
  void usageErrorExitsWith2AndOneLine() throws Exception {
    Run r = launch("xyzzy");
    assertEquals(2, r.exit(), r.err());
    assertEquals(List.of("edgeai: error: unknown command 'xyzzy'",
        "Try 'edgeai --help' for more information."), ourLines(r.err()));
  }

  @Test
  void badConfigExitsWith2NamingTheKey() throws Exception {
    Files.writeString(tmp.resolve("edgeai.yaml"), "mqtt:\n  port: abc\n");
    Run r = launch("doctor");
    assertEquals(2, r.exit(), r.err());
    assertEquals(List.of("edgeai: error: " + tmp.resolve("edgeai.yaml")
        + ": mqtt.port: expected an integer, got \"abc\""), ourLines(r.err()));
  }

  @Test
  void vectorApiIsEnabledByTheLauncher() throws Exception {
    Run r = launch("doctor", "--json", "--bandwidth-mib", "0");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("\"present\" : true"), r.out());
  }
}
