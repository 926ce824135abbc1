package ai.edgeai.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real Mosquitto broker on a free loopback port, with persistence, that a test can stop and restart. */
final class Mosquitto implements AutoCloseable {
  final int port;
  private final Path dir;
  private final Path conf;
  private Process process;

  Mosquitto(Path dir, String user, String password) throws Exception {
    this.dir = dir;
    this.port = freePort();
    Files.createDirectories(dir);
    StringBuilder c = new StringBuilder();
    c.append("listener ").append(port).append(" 127.0.0.1\n");
    c.append("persistence true\npersistence_location ").append(dir.toAbsolutePath()).append("/\n");
    c.append("max_queued_messages 100000\nmax_inflight_messages 100\n");
    c.append("user root\nlog_dest stderr\n");
    if (user != null) {
      Path pw = dir.resolve("passwd");
      Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", pw.toString(), user, password).redirectErrorStream(true).start();
      p.waitFor(10, TimeUnit.SECONDS);
      c.append("allow_anonymous false\npassword_file ").append(pw.toAbsolutePath()).append('\n');
    } else {
      c.append("allow_anonymous true\n");
    }
    conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, c.toString());
    start();
  }

  static boolean available() {
    try {
      Process p = new ProcessBuilder("mosquitto", "-h").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(5, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  void start() throws Exception {
    process = new ProcessBuilder("mosquitto", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("mosquitto did not start on port " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
  }

  /** Stops it gracefully (SIGTERM: it writes its persistence file). */
  void stop() throws Exception {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    process = null;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
