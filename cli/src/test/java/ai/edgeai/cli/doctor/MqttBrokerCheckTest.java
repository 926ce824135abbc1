package ai.edgeai.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.config.ConfigLoader;
import ai.edgeai.cli.config.EdgeaiConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against a real Mosquitto started on a free loopback port (scripts/test.sh installs it). */
class MqttBrokerCheckTest {

  private static EdgeaiConfig broker(int port) {
    return ConfigLoader.parse("mqtt:\n  host: 127.0.0.1\n  port: " + port + "\n", "test");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Path mosquitto() {
    String path = System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin";
    Optional<Path> exe = FfmpegCheck.findOnPath("mosquitto", path);
    assertTrue(exe.isPresent(),
        "mosquitto is not installed; run scripts/test.sh (as root) or apt-get install mosquitto");
    return exe.get();
  }

  @Test
  void aRealBrokerAnswersConnectWithConnack() throws Exception {
    int port = freePort();
    Process broker = new ProcessBuilder(mosquitto().toString(), "-p", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      waitUntilListening(port, broker);
      CheckResult r = new MqttBrokerCheck().run(broker(port));
      assertEquals("ok", r.state(), r.toString());
      assertEquals("MQTT broker at 127.0.0.1:" + port + " accepted a connection", r.detail());
      assertNull(r.fix());
    } finally {
      broker.destroy();
      broker.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void nothingListeningIsReportedWithAFix() throws IOException {
    int port = freePort();
    CheckResult r = new MqttBrokerCheck().run(broker(port));
    assertEquals("failed", r.state());
    assertEquals("nothing accepts connections at 127.0.0.1:" + port, r.detail());
    assertTrue(r.fix().contains("mosquitto"), r.fix());
  }

  @Test
  void aServerThatIsNotABrokerIsCaught() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      Thread t = Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
          out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
          out.flush();
          s.getInputStream().read(new byte[64]);
        } catch (IOException ignored) {
          // the check closes its side; nothing to do
        }
      });
      CheckResult r = new MqttBrokerCheck().run(broker(server.getLocalPort()));
      assertEquals("failed", r.state());
      assertTrue(r.detail().contains("not with an MQTT CONNACK"), r.detail());
      t.join(2000);
    }
  }

  @Test
  void aSilentServerTimesOut() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      // Accepted by the kernel backlog but never answered.
      CheckResult r = new MqttBrokerCheck().run(broker(server.getLocalPort()));
      assertEquals("failed", r.state());
      assertTrue(r.detail().contains("did not answer within"), r.detail());
    }
  }

  @Test
  void connectPacketIsWellFormedMqtt311() {
    byte[] p = MqttBrokerCheck.connectPacket("ab");
    assertEquals(0x10, p[0]);
    assertEquals(p.length - 2, p[1]);
    assertEquals("MQTT", new String(p, 4, 4));
    assertEquals(4, p[8]); // protocol level 3.1.1
    assertEquals("ab", new String(p, p.length - 2, 2));
  }

  private static void waitUntilListening(int port, Process broker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      assertTrue(broker.isAlive(), "mosquitto exited with " + (broker.isAlive() ? "" : broker.exitValue()));
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("mosquitto did not listen on port " + port + " within 10 s");
  }
}
