package ai.edgeai.vision.reid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.image.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonEmbedderTest {

  @Test
  void samePersonUnderJitterIsCloserThanOtherPeople() {
    var cat = VisionTestData.catalog();
    try (Detector yolox = Detector.open(cat.resolve("yolox-nano"), VisionTestData.sessionConfig());
        PersonEmbedder reid = PersonEmbedder.open(cat.resolve("osnet"), VisionTestData.sessionConfig())) {
      Frame bus = VisionTestData.image("bus.jpg");
      List<Detection> ds = reid.withEmbeddings(bus, yolox.detect(bus), List.of("person"));
      List<Detection> people = ds.stream().filter(d -> d.label().equals("person")).toList();
      assertTrue(people.size() >= 3);
      ds.stream().filter(d -> !d.label().equals("person")).forEach(d -> assertNull(d.embedding()));
      float[] first = people.getFirst().embedding();
      assertNotNull(first);
      assertEquals(512, first.length);
      double norm = 0;
      for (float v : first) norm += v * v;
      assertEquals(1.0, norm, 1e-4);
      BoundingBox b = people.getFirst().box();
      float[] jittered = reid.embed(bus, new BoundingBox(b.x1() + 5, b.y1() + 8, b.x2() - 3, b.y2() - 6));
      double same = PersonEmbedder.similarity(first, jittered);
      assertTrue(same > 0.9, "same person " + same);
      for (Detection other : people.subList(1, people.size())) {
        double diff = PersonEmbedder.similarity(first, other.embedding());
        assertTrue(diff < same - 0.2, "other person " + diff + " vs same " + same);
      }
    }
  }
}
