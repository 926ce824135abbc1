package ai.edgeai.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real client programs (node scripts, curl) and returns what they printed. */
public final class ExternalClients {

  /** Where scripts/lib/prepare.sh installs the pinned npm packages. */
  public static final Path NODE_MODULES = Path.of("..", ".cache", "npm", "node_modules").toAbsolutePath().normalize();

  public record Result(int exitCode, String stdout, String stderr) {}

  private ExternalClients() {}

  public static Result node(String script, String... args) throws IOException, InterruptedException {
    Path s = Path.of("src/test/resources/server/node", script).toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of("node", s.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, NODE_MODULES.toString());
  }

  public static Result run(List<String> cmd, String nodePath) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (nodePath != null) pb.environment().put("NODE_PATH", nodePath);
    Path out = Files.createTempFile("client", ".out");
    Path err = Files.createTempFile("client", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd + " did not finish within 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
