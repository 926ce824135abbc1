package ai.edgeai.node.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.edgeai.vision.tracking.KalmanTracker;
import ai.edgeai.vision.tracking.TrackerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackersTest {

  @Test
  void byteTrackKeepsLostTracksFiveSecondsAtTheCamerasFps() {
    var t = assertInstanceOf(KalmanTracker.class, Trackers.create("bytetrack", Map.of(), 10));
    assertEquals(TrackerConfig.Association.BYTE, t.config().association());
    assertEquals(50, t.config().maxAge());
    var slow = assertInstanceOf(KalmanTracker.class, Trackers.create("bytetrack", Map.of(), 0.5));
    assertEquals(3, slow.config().maxAge()); // round(2.5)
  }

  @Test
  void snakeCaseParametersOverrideThePreset() {
    var t = assertInstanceOf(KalmanTracker.class,
        Trackers.create("sort", Map.of("max_age", 4, "iou_threshold", 0.4, "class_aware", false), 5));
    assertEquals(TrackerConfig.Association.SORT, t.config().association());
    assertEquals(4, t.config().maxAge());
    assertEquals(0.4, t.config().iouThreshold());
    assertEquals(false, t.config().classAware());
    assertEquals(TrackerConfig.sort().minHits(), t.config().minHits());
  }

  @Test
  void iouTrackerAndBadParametersAreNamed() {
    assertInstanceOf(IouTracker.class, Trackers.create("iou", Map.of("min_hits", 3), 5));
    assertEquals("tracker_params: unknown tracker parameter 'max_agee'",
        assertThrows(IllegalArgumentException.class, () -> Trackers.create("sort", Map.of("max_agee", 1), 5)).getMessage());
    assertEquals("tracker_params: min_hits must be ≥ 0: -1",
        assertThrows(IllegalArgumentException.class, () -> Trackers.create("bytetrack", Map.of("min_hits", -1), 5)).getMessage());
    assertEquals("tracker_params.min_hits: not a number: x",
        assertThrows(IllegalArgumentException.class, () -> Trackers.create("iou", Map.of("min_hits", "x"), 5)).getMessage());
    assertEquals("tracker_params: unknown parameter 'high_score' for the iou tracker (known: iou_threshold, min_hits, max_age_seconds)",
        assertThrows(IllegalArgumentException.class, () -> Trackers.create("iou", Map.of("high_score", 0.5), 5)).getMessage());
  }
}
