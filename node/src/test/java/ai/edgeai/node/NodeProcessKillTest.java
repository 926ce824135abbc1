package ai.edgeai.node;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as a real process, SIGKILLed while the broker is down, then restarted: its spooled events arrive. */
class NodeProcessKillTest {

  @TempDir Path tmp;

  @Test
  void spooledEventsSurviveSigkillWhileTheBrokerIsDown() throws Exception {
    assumeTrue(Mosquitto.available(), "mosquitto is not installed");
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), null, null);
         Subscriber sub = new Subscriber(broker.port, true, false, "k3/events")) {
      Path config = tmp.resolve("edgeai.yaml");
      Files.writeString(config, TestConfigs.yaml("k3", broker.port, tmp.resolve("outbox"), TestConfigs.testPatternCamera("shed"), null));
      broker.stop();

      List<String> printed = Collections.synchronizedList(new ArrayList<>());
      Process first = launch(config, printed);
      long deadline = System.currentTimeMillis() + 30_000;
      while (printed.size() < 6 && System.currentTimeMillis() < deadline) Thread.sleep(100);
      assertTrue(printed.size() >= 6, "node produced events while the broker was down: " + printed);
      first.destroyForcibly(); // SIGKILL
      first.waitFor(10, TimeUnit.SECONDS);
      List<String> spooled = List.copyOf(printed);

      broker.start();
      List<String> second = Collections.synchronizedList(new ArrayList<>());
      Process again = launch(config, second);
      try {
        ObjectMapper json = new ObjectMapper();
        boolean all = sub.await(l -> {
          Set<String> got = new HashSet<>();
          for (Subscriber.Msg m : l) {
            try {
              got.add(json.readTree(m.payload()).get("event_id").asText());
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          }
          return got.containsAll(spooled);
        }, 30_000);
        assertTrue(all, "every event spooled before the SIGKILL was delivered after the restart (" + spooled.size() + ")");
      } finally {
        again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Process launch(Path config, List<String> eventIds) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NodeProcessMain.class.getName(), config.toString())
        .redirectErrorStream(true).start();
    Thread.ofPlatform().daemon(true).start(() -> {
      try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("EVENT ")) eventIds.add(line.substring(6).strip());
        }
      } catch (Exception ignored) {
        // process killed
      }
    });
    return p;
  }
}
