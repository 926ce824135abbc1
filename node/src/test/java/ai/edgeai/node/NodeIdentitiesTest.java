package ai.edgeai.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.pipeline.VisionDetectors;
import ai.edgeai.vision.onnx.SessionConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node with real models (YOLOX-nano, OSNet re-id), ByteTrack per camera and cross-camera
 * identities, against a real Mosquitto: camera "east" shows zidane.jpg (two people), camera
 * "west" the same scene mirrored, so the person on the left in one view is on the right in the
 * other. Each person must get one global id, the same on both cameras.
 */
class NodeIdentitiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The repository's ship-safe models and the vision module's test-only OSNet (the tests run in node/). */
  static final List<Path> MODEL_DIRS = List.of(Path.of("../models"), Path.of("../vision/src/test/resources/vision/models"));
  static final Path ZIDANE = Path.of("../vision/src/test/resources/vision/images/zidane.jpg");

  @TempDir Path tmp;

  @BeforeAll
  static void needsMosquitto() {
    assumeTrue(Mosquitto.available(), "mosquitto is not installed (scripts/lib/prepare.sh installs it)");
  }

  @Test
  void bothPeopleKeepOneGlobalIdAcrossTwoCameras() throws Exception {
    Path east = Files.createDirectories(tmp.resolve("east"));
    Path west = Files.createDirectories(tmp.resolve("west"));
    BufferedImage img = ImageIO.read(ZIDANE.toFile());
    ImageIO.write(img, "png", east.resolve("scene.png").toFile());
    AffineTransform flip = new AffineTransform(-1, 0, 0, 1, img.getWidth(), 0);
    BufferedImage mirrored = new AffineTransformOp(flip, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(img, null);
    ImageIO.write(mirrored, "png", west.resolve("scene.png").toFile());

    String cameras = """
        - name: east
          source: %s
          fps: 4
          detect: {width: 640, height: 360}
          detector: yolox-nano
          labels: [person]
          tracker: bytetrack
          tracker_params: {high_score: 0.5, max_age: 8}
        - name: west
          source: %s
          fps: 4
          detect: {width: 640, height: 360}
          detector: yolox-nano
          labels: [person]
          tracker: sort
        """.formatted(east, west);
    String identities = """
        identities:
          reid_model: osnet
          labels: [person]
          similarity_threshold: 0.6
          topology:
            - {from: east, to: west, both_ways: true}
        """;
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), null, null);
         Subscriber sub = new Subscriber(broker.port, false, false, "ids/events")) {
      NodeConfig cfg = TestConfigs.parse(TestConfigs.yaml("ids", broker.port, tmp.resolve("outbox"), cameras, null) + identities);
      assertEquals("bytetrack", cfg.cameras().get(0).tracker());
      assertEquals("sort", cfg.cameras().get(1).tracker());
      var detectors = new VisionDetectors(MODEL_DIRS, SessionConfig.defaults());
      try (EdgeNode node = EdgeNode.start(cfg, detectors, new EdgeNode.Listener() {})) {
        assertTrue(sub.await(l -> globalIds(l).size() >= 4, 40_000), "global ids on both cameras: " + sub.messages().size() + " events");
      }
      Map<String, String> ids = globalIds(sub.messages());
      // key: camera/side ("east/left"...), value: the global id that object carried
      assertEquals(4, ids.size(), ids.toString());
      assertNotEquals(ids.get("east/left"), ids.get("east/right"), "two people, two identities: " + ids);
      assertEquals(ids.get("east/left"), ids.get("west/right"), "the mirrored view swaps sides: " + ids);
      assertEquals(ids.get("east/right"), ids.get("west/left"), ids.toString());
    }
  }

  /** Per camera and side of the frame, the global id of the person there (from events that carry one). */
  private static Map<String, String> globalIds(List<Subscriber.Msg> messages) {
    Map<String, String> out = new HashMap<>();
    for (Subscriber.Msg m : messages) {
      JsonNode e;
      try {
        e = JSON.readTree(m.payload());
      } catch (Exception ex) {
        throw new AssertionError(ex);
      }
      JsonNode a = e.path("after");
      if (!a.path("global_id").isTextual() || !"person".equals(a.path("label").asText())) continue;
      JsonNode box = a.get("box");
      double cx = (box.get(0).asDouble() + box.get(2).asDouble()) / 2;
      String key = a.get("camera").asText() + "/" + (cx < 320 ? "left" : "right");
      String previous = out.putIfAbsent(key, a.get("global_id").asText());
      if (previous != null) assertEquals(previous, a.get("global_id").asText(), "an object keeps its global id: " + a);
    }
    return out;
  }
}
