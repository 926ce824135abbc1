package ai.edgeai.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeConfigLoaderTest {

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> NodeConfigLoader.parse(yaml, "edgeai.yaml")).getMessage();
  }

  @Test
  void theDocumentedExampleLoads() throws Exception {
    Path doc = Path.of("../docs/configuration-node.md");
    String md = Files.readString(doc);
    int start = md.indexOf("```yaml\n") + 8;
    String yaml = md.substring(start, md.indexOf("```", start));
    NodeConfig c = NodeConfigLoader.parse(yaml, doc.toString());
    assertEquals("garage-pi", c.node().name());
    assertEquals(4, c.cameras().size());
    assertEquals("driveway", c.cameras().getFirst().zones().getFirst().name());
    assertEquals("batch", c.outbox().fsync());
    assertTrue(c.mqtt().homeassistant().enabled());
  }

  @Test
  void defaultsFillEverythingButCameras() {
    NodeConfig c = NodeConfigLoader.parse("cameras:\n  - {name: a, source: testpattern}\n", "x");
    assertEquals(5.0, c.cameras().getFirst().fps());
    assertEquals(640, c.cameras().getFirst().detect().width());
    assertEquals("edgeai", c.mqtt().topicPrefix());
    assertTrue(c.mqtt().useEmbeddedBroker());
    assertEquals(86_400L, c.mqtt().sessionExpirySeconds());
    assertEquals(50, c.outbox().fsyncIntervalMs());
    assertEquals(100, c.outbox().fsyncBatch());
  }

  @Test
  void typoNamesTheKeyPath() {
    String m = error("cameras:\n  - name: a\n    source: testpattern\n    fsp: 5\n");
    assertTrue(m.startsWith("edgeai.yaml: unknown key 'cameras[0].fsp'") && m.contains("fps"), m);
    m = error("mqtt:\n  hots: broker.local\n");
    assertTrue(m.contains("unknown key 'mqtt.hots'") && m.contains("host"), m);
  }

  @Test
  void wrongTypeNamesTheKeyPath() {
    String m = error("cameras:\n  - name: a\n    source: testpattern\n    fps: fast\n");
    assertTrue(m.contains("cameras[0].fps") && m.contains("number"), m);
    m = error("outbox:\n  max_megabytes: [1, 2]\n");
    assertTrue(m.contains("outbox.max_megabytes") && m.contains("integer"), m);
    m = error("mqtt:\n  tls: \"yes\"\n");
    assertTrue(m.contains("mqtt.tls"), m);
  }

  @Test
  void invalidValuesAreExplained() {
    assertTrue(error("cameras:\n  - {name: a, source: testpattern, fps: 0}\n").contains("fps must be in (0, 120]"));
    assertTrue(error("mqtt: {session_expiry_seconds: 0}\n").contains("session_expiry_seconds must be > 0"));
    assertTrue(error("outbox: {fsync: sometimes}\n").contains("outbox.fsync 'sometimes'"));
    assertTrue(error("cameras:\n  - {name: 'a b', source: x}\n").contains("camera name 'a b'"));
    assertTrue(error("cameras:\n  - {name: a, source: x, zones: [{name: z, polygon: [[0,0],[2,0],[1,1]]}]}\n").contains("zone 'z'"));
    assertTrue(error("cameras:\n  - {name: a, source: x}\n  - {name: a, source: y}\n").contains("duplicate camera name 'a'"));
    assertTrue(error("cameras: [\n").contains("not valid YAML"));
  }
}
