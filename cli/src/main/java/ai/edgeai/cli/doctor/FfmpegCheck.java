package ai.edgeai.cli.doctor;

import ai.edgeai.cli.config.EdgeaiConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code ffmpeg} on the PATH (decodes camera streams and video files). */
final class FfmpegCheck implements OptionalCheck {

  private static final String FIX = "install it: sudo apt-get install ffmpeg";

  @Override
  public String name() {
    return "ffmpeg";
  }

  @Override
  public CheckResult run(EdgeaiConfig config) {
    Optional<Path> exe = findOnPath("ffmpeg", System.getenv("PATH"));
    if (exe.isEmpty()) {
      return CheckResult.missing(name(), "ffmpeg not found on PATH", FIX);
    }
    try {
      Process p = new ProcessBuilder(exe.get().toString(), "-hide_banner", "-version")
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return CheckResult.failed(name(), exe.get() + " -version did not finish within 3 s",
            "check that " + exe.get() + " runs from a shell");
      }
      String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines().findFirst().orElse("").strip();
      if (p.exitValue() != 0) {
        return CheckResult.failed(name(), exe.get() + " -version exited with " + p.exitValue(),
            "reinstall it: sudo apt-get install --reinstall ffmpeg");
      }
      return CheckResult.ok(name(), first + " (" + exe.get() + ")");
    } catch (IOException e) {
      return CheckResult.failed(name(), "cannot run " + exe.get() + ": " + e.getMessage(), FIX);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.failed(name(), "interrupted while running ffmpeg", FIX);
    }
  }

  static Optional<Path> findOnPath(String program, String path) {
    if (path == null) return Optional.empty();
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
