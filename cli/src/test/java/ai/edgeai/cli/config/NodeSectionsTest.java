package ai.edgeai.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.node.config.NodeConfig;
import org.junit.jupiter.api.Test;

/** The edge node's sections of edgeai.yaml, read by the one strict loader. */
class NodeSectionsTest {

  private static NodeConfig node(String yaml) {
    return ConfigLoader.parse(yaml, "edgeai.yaml").node();
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "edgeai.yaml")).getMessage();
  }

  @Test
  void defaultsFillEverythingButCameras() {
    NodeConfig c = node("cameras:\n  - {name: a, source: testpattern}\nllm:\n  threads: 2\n");
    var cam = c.cameras().getFirst();
    assertEquals(5.0, cam.fps());
    assertEquals(640, cam.detect().width());
    assertEquals("bytetrack", cam.tracker());
    assertEquals("edgeai", c.mqtt().topicPrefix());
    assertTrue(c.mqtt().useEmbeddedBroker());
    assertEquals(86_400L, c.mqtt().sessionExpirySeconds());
    assertEquals(50, c.outbox().fsyncIntervalMs());
    assertEquals(100, c.outbox().fsyncBatch());
    assertFalse(c.identities().enabled());
  }

  @Test
  void typoNamesTheKeyPath() {
    String m = error("cameras:\n  - name: a\n    source: testpattern\n    fsp: 5\n");
    assertTrue(m.startsWith("edgeai.yaml: cameras[0].fsp: unknown key (known keys here: ") && m.contains("fps"), m);
    m = error("mqtt:\n  hots: broker.local\n");
    assertTrue(m.startsWith("edgeai.yaml: mqtt.hots: unknown key") && m.contains("host"), m);
    m = error("identities:\n  reid_model: osnet\n  treshold: 0.5\n");
    assertTrue(m.startsWith("edgeai.yaml: identities.treshold: unknown key") && m.contains("similarity_threshold"), m);
  }

  @Test
  void wrongTypeNamesTheKeyPath() {
    assertEquals("edgeai.yaml: cameras[0].fps: expected a number, got \"fast\"",
        error("cameras:\n  - name: a\n    source: testpattern\n    fps: fast\n"));
    assertEquals("edgeai.yaml: outbox.max_megabytes: expected an integer, got a list", error("outbox:\n  max_megabytes: [1, 2]\n"));
    assertEquals("edgeai.yaml: mqtt.tls: expected true or false, got \"yes\"", error("mqtt:\n  tls: \"yes\"\n"));
    assertEquals("edgeai.yaml: cameras[0]: camera 'a': tracker_params.max_age: expected a number or true/false, got [1]",
        error("cameras:\n  - {name: a, source: x, tracker_params: {max_age: [1]}}\n"));
  }

  @Test
  void invalidValuesAreExplained() {
    assertEquals("edgeai.yaml: cameras[0]: camera 'a': fps must be in (0, 120], got 0.0",
        error("cameras:\n  - {name: a, source: testpattern, fps: 0}\n"));
    assertTrue(error("mqtt: {session_expiry_seconds: 0}\n").startsWith("edgeai.yaml: mqtt.session_expiry_seconds must be > 0"));
    assertTrue(error("outbox: {fsync: sometimes}\n").startsWith("edgeai.yaml: outbox.fsync 'sometimes'"));
    assertTrue(error("cameras:\n  - {name: 'a b', source: x}\n").contains("camera name 'a b'"));
    assertTrue(error("cameras:\n  - {name: a, source: x, zones: [{name: z, polygon: [[0,0],[2,0],[1,1]]}]}\n").contains("zone 'z'"));
    assertEquals("edgeai.yaml: cameras: duplicate camera name 'a'",
        error("cameras:\n  - {name: a, source: x}\n  - {name: a, source: y}\n"));
    assertTrue(error("cameras: [\n").startsWith("edgeai.yaml: malformed YAML"));
  }

  @Test
  void trackersAndTheirParametersAreCheckedWhenLoading() {
    NodeConfig c = node("cameras:\n  - {name: a, source: x, tracker: sort, tracker_params: {max_age: 3, iou_threshold: 0.4}}\n"
        + "  - {name: b, source: y, tracker: iou, tracker_params: {min_hits: 3}}\n");
    assertEquals("sort", c.cameras().get(0).tracker());
    assertEquals("iou", c.cameras().get(1).tracker());
    assertEquals("edgeai.yaml: cameras[0]: camera 'a': tracker 'deepsort' is not one of [bytetrack, sort, iou]",
        error("cameras:\n  - {name: a, source: x, tracker: deepsort}\n"));
    assertEquals("edgeai.yaml: cameras[0]: camera 'a': tracker_params: unknown tracker parameter 'max_agee'",
        error("cameras:\n  - {name: a, source: x, tracker_params: {max_agee: 3}}\n"));
    assertEquals("edgeai.yaml: cameras[0]: camera 'a': tracker_params: iou_threshold must be in [0, 1]: 1.5",
        error("cameras:\n  - {name: a, source: x, tracker_params: {iou_threshold: 1.5}}\n"));
    assertTrue(error("cameras:\n  - {name: a, source: x, tracker: iou, tracker_params: {high_score: 0.5}}\n")
        .contains("unknown parameter 'high_score' for the iou tracker"));
  }

  @Test
  void identitiesNeedAModelAndKnownCameras() {
    assertEquals("edgeai.yaml: identities.reid_model is required (e.g. osnet)", error("identities: {labels: [person]}\n"));
    assertEquals("edgeai.yaml: identities.topology: no camera named 'nowhere'",
        error("cameras:\n  - {name: a, source: x}\nidentities:\n  reid_model: osnet\n  topology: [{from: a, to: nowhere}]\n"));
    NodeConfig c = node("cameras:\n  - {name: a, source: x}\n  - {name: b, source: y}\nidentities:\n  reid_model: osnet\n"
        + "  topology: [{from: a, to: b, max_seconds: 30}]\n");
    assertEquals(30.0, c.identities().topology().getFirst().maxSeconds());
    assertEquals(java.util.List.of("person"), c.identities().labels());
  }
}
