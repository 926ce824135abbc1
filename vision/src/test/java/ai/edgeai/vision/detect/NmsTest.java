package ai.edgeai.vision.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
  private static Candidates overlapping() {
    Candidates c = new Candidates(0);
    c.add(0, 0, 10, 10, 0.6f, 0); // 0
    c.add(1, 1, 11, 11, 0.9f, 1); // 1: overlaps 0 (IoU 0.68), other class
    c.add(0, 0, 10, 9, 0.8f, 0); // 2: overlaps 0 (IoU 0.9), same class
    c.add(50, 50, 60, 60, 0.7f, 0); // 3: alone
    return c;
  }

  @Test
  void classAwareKeepsOverlappingBoxesOfDifferentClasses() {
    assertArrayEquals(new int[] {1, 2, 3}, Nms.select(overlapping(), 0.5, false, 100));
  }

  @Test
  void classAgnosticSuppressesAcrossClasses() {
    assertArrayEquals(new int[] {1, 3}, Nms.select(overlapping(), 0.5, true, 100));
  }

  @Test
  void capLimitsTheCount() {
    assertArrayEquals(new int[] {1, 2}, Nms.select(overlapping(), 0.5, false, 2));
  }

  @Test
  void detectionListVariantMatches() {
    List<Detection> ds = List.of(
        Detection.of("a", 0, 0.6, new BoundingBox(0, 0, 10, 10)),
        Detection.of("b", 1, 0.9, new BoundingBox(1, 1, 11, 11)),
        Detection.of("a", 0, 0.8, new BoundingBox(0, 0, 10, 9)));
    assertEquals(List.of(0.9, 0.8), Nms.apply(ds, 0.5, false).stream().map(Detection::score).toList());
    assertEquals(List.of(0.9), Nms.apply(ds, 0.5, true).stream().map(Detection::score).toList());
  }
}
