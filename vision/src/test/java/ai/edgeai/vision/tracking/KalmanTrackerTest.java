package ai.edgeai.vision.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KalmanTrackerTest {

  private static Detection person(double x, double score) {
    return Detection.of("person", 0, score, new BoundingBox(x, 100, x + 40, 200));
  }

  @Test
  void byteTrackLifeCycleTentativeConfirmedLostRemoved() {
    KalmanTracker t = new KalmanTracker(TrackerConfig.byteTrack().with(Map.of("maxAge", "3")));
    t.update(0, List.of()); // past the warm-up frame, so new tracks start tentative
    assertEquals(0, t.update(0.1, List.of(person(0, 0.9))).size(), "new track is tentative");
    assertEquals(0, t.activeTracks().size());
    List<TrackedObject> out = t.update(0.2, List.of(person(5, 0.9)));
    assertEquals(1, out.size());
    assertEquals(TrackState.CONFIRMED, out.get(0).state());
    long id = out.get(0).trackId();
    for (int i = 0; i < 3; i++) {
      assertEquals(0, t.update(0.3 + i * 0.1, List.of()).size());
      assertEquals(TrackState.LOST, t.activeTracks().get(0).state());
    }
    assertEquals(0, t.update(0.6, List.of()).size());
    assertEquals(0, t.activeTracks().size(), "removed after maxAge unmatched frames");
    assertEquals(0, t.size());
    // A track re-found while LOST keeps its id.
    KalmanTracker u = new KalmanTracker(TrackerConfig.byteTrack());
    u.update(0, List.of());
    u.update(0.1, List.of(person(0, 0.9)));
    long kept = u.update(0.2, List.of(person(5, 0.9))).get(0).trackId();
    u.update(0.3, List.of());
    u.update(0.4, List.of());
    assertEquals(kept, u.update(0.5, List.of(person(20, 0.9))).get(0).trackId());
    assertTrue(id >= 1);
  }

  @Test
  void unmatchedTentativeTrackIsDroppedInByteTrack() {
    KalmanTracker t = new KalmanTracker(TrackerConfig.byteTrack());
    t.update(0, List.of());
    t.update(0.1, List.of(person(0, 0.9)));
    t.update(0.2, List.of());
    assertEquals(0, t.size());
  }

  @Test
  void lowScoreDetectionsOnlyContinueTracks() {
    KalmanTracker t = new KalmanTracker(TrackerConfig.byteTrack());
    t.update(0, List.of());
    assertEquals(0, t.update(0.1, List.of(person(0, 0.3))).size());
    assertEquals(0, t.size(), "a low-score detection starts nothing");
    t.update(0.2, List.of(person(0, 0.9)));
    long id = t.update(0.3, List.of(person(4, 0.9))).get(0).trackId();
    List<TrackedObject> out = t.update(0.4, List.of(person(8, 0.3)));
    assertEquals(1, out.size(), "second round matched the low-score box");
    assertEquals(id, out.get(0).trackId());
    // SORT with its usual score floor ignores it.
    KalmanTracker s = new KalmanTracker(TrackerConfig.sort().with(Map.of("minScore", "0.5")));
    assertEquals(0, s.update(0, List.of(person(0, 0.3))).size());
  }

  @Test
  void classAwareTracksDoNotSwapClasses() {
    KalmanTracker t = new KalmanTracker(TrackerConfig.byteTrack());
    Detection car = Detection.of("car", 2, 0.9, new BoundingBox(0, 100, 40, 200));
    List<TrackedObject> first = t.update(0, List.of(person(0, 0.9)));
    long personId = first.get(0).trackId();
    // Same place, other class: not a match, so a new (tentative) track and the person goes LOST.
    List<TrackedObject> out = t.update(0.1, List.of(car));
    assertEquals(0, out.size());
    assertEquals(TrackState.LOST, t.activeTracks().get(0).state());
    assertEquals(personId, t.activeTracks().get(0).trackId());
    assertEquals(2, t.size());
  }

  @Test
  void sortReportsOnlyStreaksOfMinHitsAfterWarmUp() {
    KalmanTracker t = new KalmanTracker(TrackerConfig.sort());
    for (int f = 0; f < 3; f++) t.update(f, List.of());
    int[] reported = new int[6];
    for (int f = 0; f < 6; f++) reported[f] = t.update(3 + f, List.of(person(f * 3, 0.9))).size();
    // Created in frame 4; streak 1, 2, 3 in frames 5, 6, 7: reported from frame 7 on.
    assertEquals(List.of(0, 0, 0, 1, 1, 1), java.util.Arrays.stream(reported).boxed().toList());
  }

  @Test
  void appearanceKeepsIdentityThroughACrossing() {
    // Two people swap places over one missed frame; IoU alone would follow the motion, appearance
    // keeps each identity with its look.
    TrackerConfig cfg = TrackerConfig.byteTrack().with(Map.of("appearanceWeight", "0.7", "appearanceThreshold", "0.8", "appearanceGate", "3"));
    KalmanTracker t = new KalmanTracker(cfg);
    float[] red = {1, 0, 0};
    float[] blue = {0, 1, 0};
    long redId = -1;
    for (int f = 0; f < 3; f++) {
      var out = t.update(f, List.of(person(0, 0.9).withEmbedding(red), person(200, 0.9).withEmbedding(blue)));
      if (f == 2) redId = out.stream().filter(o -> o.detection().embedding()[0] > 0.9).findFirst().orElseThrow().trackId();
    }
    var out = t.update(3, List.of(person(200, 0.9).withEmbedding(red), person(0, 0.9).withEmbedding(blue)));
    long atRight = out.stream().filter(o -> o.detection().box().x1() > 100).findFirst().orElseThrow().trackId();
    assertEquals(redId, atRight, "the track now on the right must be red's");
    // Without appearance the motion model keeps each track in place, so the ids swap.
    KalmanTracker iouOnly = new KalmanTracker(TrackerConfig.byteTrack());
    long redOnly = -1;
    for (int f = 0; f < 3; f++) {
      var o = iouOnly.update(f, List.of(person(0, 0.9).withEmbedding(red), person(200, 0.9).withEmbedding(blue)));
      if (f == 2) redOnly = o.stream().filter(x -> x.detection().box().x1() < 100).findFirst().orElseThrow().trackId();
    }
    var o2 = iouOnly.update(3, List.of(person(200, 0.9).withEmbedding(red), person(0, 0.9).withEmbedding(blue)));
    assertEquals(redOnly, o2.stream().filter(x -> x.detection().box().x1() < 100).findFirst().orElseThrow().trackId());
  }

  @Test
  void rejectsTimeGoingBackwardsAndBadParameters() {
    KalmanTracker t = new KalmanTracker(TrackerConfig.sort());
    t.update(1, List.of());
    assertThrows(IllegalArgumentException.class, () -> t.update(0.5, List.of()));
    var e = assertThrows(IllegalArgumentException.class, () -> TrackerConfig.sort().with(Map.of("maxAge", "x")));
    assertTrue(e.getMessage().contains("maxAge"));
    assertThrows(IllegalArgumentException.class, () -> TrackerConfig.sort().with(Map.of("nope", "1")));
    assertThrows(IllegalArgumentException.class, () -> TrackerConfig.sort().with(Map.of("iouThreshold", "1.5")));
  }
}
