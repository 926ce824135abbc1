package ai.edgeai.node.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.tracking.TrackState;
import java.util.List;
import org.junit.jupiter.api.Test;

class IouTrackerTest {

  private static Detection d(String label, double x) {
    return Detection.of(label, 0, 0.9, new BoundingBox(x, 10, x + 50, 110));
  }

  @Test
  void confirmsAfterMinHitsKeepsIdsAndRemovesAfterMaxAge() {
    IouTracker t = new IouTracker(0.3, 2, 1.0);
    assertTrue(t.update(0.0, List.of(d("person", 0))).isEmpty(), "tentative at first");
    var second = t.update(0.2, List.of(d("person", 5)));
    assertEquals(1, second.size());
    long id = second.getFirst().trackId();
    assertEquals(TrackState.CONFIRMED, second.getFirst().state());
    assertEquals(id, t.update(0.4, List.of(d("person", 10))).getFirst().trackId());
    assertTrue(t.update(0.6, List.of()).isEmpty());
    assertEquals(TrackState.LOST, t.activeTracks().getFirst().state());
    assertEquals(id, t.update(0.8, List.of(d("person", 12))).getFirst().trackId(), "re-found within max age");
    t.update(1.5, List.of());
    t.update(2.0, List.of());
    assertTrue(t.activeTracks().isEmpty(), "removed after max age");
  }

  @Test
  void isClassAwareAndMatchesBestOverlapFirst() {
    IouTracker t = new IouTracker(0.3, 1, 1.0);
    var a = t.update(0, List.of(d("person", 0), d("person", 40)));
    var b = t.update(0.1, List.of(d("car", 0), d("person", 38), d("person", 2)));
    long carId = b.stream().filter(x -> x.detection().label().equals("car")).findFirst().orElseThrow().trackId();
    for (var x : a) assertNotEquals(carId, x.trackId(), "a car never continues a person track");
    long first = a.stream().filter(x -> x.detection().box().x1() == 0).findFirst().orElseThrow().trackId();
    long matched = b.stream().filter(x -> x.detection().label().equals("person") && x.detection().box().x1() == 2)
        .findFirst().orElseThrow().trackId();
    assertEquals(first, matched);
  }
}
