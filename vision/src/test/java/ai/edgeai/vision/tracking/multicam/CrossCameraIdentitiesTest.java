package ai.edgeai.vision.tracking.multicam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.tracking.KalmanTracker;
import ai.edgeai.vision.tracking.TrackState;
import ai.edgeai.vision.tracking.TrackedObject;
import ai.edgeai.vision.tracking.TrackerConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Multi-camera identities on {@link TwoCameraScene}: per-camera ByteTrack with appearance, then
 * {@link CrossCameraIdentities}, with embeddings from the scene's documented model. The same
 * requirement on real pixels and OSNet is {@link RealCropCrossCameraTest}.
 */
class CrossCameraIdentitiesTest {

  /** Per person and camera: how often each global id was reported. */
  private static Map<String, Map<String, Map<String, Integer>>> run(TwoCameraScene scene, MultiCameraConfig config) {
    CrossCameraIdentities registry = new CrossCameraIdentities(config);
    TrackerConfig tc = TrackerConfig.byteTrack().with(Map.of("appearanceWeight", "0.3"));
    Map<String, KalmanTracker> trackers = Map.of("A", new KalmanTracker(tc), "B", new KalmanTracker(tc));
    Map<String, Map<String, Map<String, Integer>>> votes = new HashMap<>();
    for (int f = 0; f < scene.frames; f++) {
      double t = f / TwoCameraScene.FPS;
      for (String cam : List.of("A", "B")) {
        List<TrackedObject> tracks = trackers.get(cam).update(t, scene.detections(cam, f));
        for (TrackedObject o : registry.assign(cam, t, tracks)) {
          if (o.globalId() == null) continue;
          votes.computeIfAbsent(o.detection().subLabel(), k -> new HashMap<>())
              .computeIfAbsent(cam, k -> new HashMap<>())
              .merge(o.globalId(), 1, Integer::sum);
        }
      }
    }
    return votes;
  }

  private static String majority(Map<String, Integer> v) {
    return v == null ? null : v.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  /** Share of travellers whose majority id is the same in both cameras and held by nobody else. */
  private static double keptShare(TwoCameraScene scene, Map<String, Map<String, Map<String, Integer>>> votes) {
    Map<String, Set<String>> holders = new HashMap<>();
    for (var p : votes.entrySet()) {
      for (var cam : p.getValue().values()) holders.computeIfAbsent(majority(cam), k -> new HashSet<>()).add(p.getKey());
    }
    int kept = 0, travellers = 0;
    for (TwoCameraScene.Person p : scene.people) {
      if (!p.traveller()) continue;
      travellers++;
      var v = votes.getOrDefault(p.name(), Map.of());
      String a = majority(v.get("A"));
      String b = majority(v.get("B"));
      if (a != null && a.equals(b) && holders.get(a).equals(Set.of(p.name()))) kept++;
    }
    return kept / (double) travellers;
  }

  @Test
  void keepsAtLeastNinetyPercentOfIdentitiesAcrossCameras() {
    TwoCameraScene scene = new TwoCameraScene(42, 30, 6);
    double kept = keptShare(scene, run(scene, MultiCameraConfig.defaults()));
    System.out.println("identities kept across cameras: " + kept);
    assertTrue(kept >= 0.9, "kept " + kept);
  }

  @Test
  void topologyAndTimeWindowConstrainMatches() {
    TwoCameraScene scene = new TwoCameraScene(42, 30, 6);
    var withTopology = MultiCameraConfig.defaults().withTopology(CameraTopology.any().link("A", "B", 2, 10));
    assertTrue(keptShare(scene, run(scene, withTopology)) >= 0.9);
    // Only B → A is allowed: nobody walking A → B may keep an identity.
    var wrongWay = MultiCameraConfig.defaults().withTopology(CameraTopology.any().link("B", "A", 0, 100));
    assertEquals(0.0, keptShare(scene, run(scene, wrongWay)));
    // Transits take ≥ 3 s, longer than a 1 s window.
    assertEquals(0.0, keptShare(scene, run(scene, MultiCameraConfig.defaults().withTimeWindow(1))));
  }

  @Test
  void decidesAfterEnoughEmbeddingsAndNeverSharesAnIdInOneFrame() {
    CrossCameraIdentities reg = new CrossCameraIdentities(MultiCameraConfig.defaults());
    float[] e = new float[] {1, 0, 0};
    Detection d1 = Detection.of("person", 0, 0.9, new BoundingBox(0, 0, 10, 20)).withEmbedding(e);
    Detection d2 = Detection.of("person", 0, 0.9, new BoundingBox(50, 0, 60, 20)).withEmbedding(e);
    TrackedObject t1 = new TrackedObject(1, null, TrackState.CONFIRMED, d1, 0, 0, 1);
    TrackedObject t2 = new TrackedObject(2, null, TrackState.CONFIRMED, d2, 0, 0, 1);
    assertNull(reg.assign("A", 0.0, List.of(t1)).get(0).globalId());
    assertNull(reg.assign("A", 0.1, List.of(t1)).get(0).globalId());
    String g1 = reg.assign("A", 0.2, List.of(t1)).get(0).globalId();
    assertEquals("g1", g1);
    // A second track with the same look in the same camera and frame cannot take g1.
    for (double t : new double[] {0.3, 0.4}) reg.assign("A", t, List.of(t1, t2));
    var out = reg.assign("A", 0.5, List.of(t1, t2));
    assertEquals(g1, out.get(0).globalId());
    assertNotEquals(g1, out.get(1).globalId());
    // A different class never takes an identity of another class.
    Detection car = new Detection("car", 2, 0.9, d1.box(), List.of(), null, Double.NaN, e);
    TrackedObject c = new TrackedObject(1, null, TrackState.CONFIRMED, car, 0, 0, 1);
    String gc = null;
    for (double t : new double[] {1, 1.1, 1.2}) gc = reg.assign("B", t, List.of(c)).get(0).globalId();
    assertNotEquals(g1, gc);
  }
}
