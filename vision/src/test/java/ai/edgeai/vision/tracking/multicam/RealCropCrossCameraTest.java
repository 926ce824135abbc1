package ai.edgeai.vision.tracking.multicam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.reid.PersonEmbedder;
import ai.edgeai.vision.tracking.KalmanTracker;
import ai.edgeai.vision.tracking.TrackedObject;
import ai.edgeai.vision.tracking.TrackerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's multi-camera requirement on real people: {@link PhotoCropScene} renders crops of the
 * people in the test photos walking across two views (scale, mirroring, colour cast, occlusion,
 * distractors); OSNet embeds every detection's pixels, ByteTrack (with appearance) tracks each
 * camera, {@link CrossCameraIdentities} gives global ids. At least 90 % of the travellers must keep
 * one identity across the cameras.
 */
class RealCropCrossCameraTest {

  /** true: print the walks and every identity decision (to study a failure). */
  private static final boolean DIAGNOSE = false;

  @Test
  void osnetOnRealCropsKeepsAtLeastNinetyPercentOfIdentitiesAcrossCameras() {
    var cat = VisionTestData.catalog();
    try (Detector yolox = Detector.open(cat.resolve("yolox-nano"), VisionTestData.sessionConfig());
         PersonEmbedder osnet = PersonEmbedder.open(cat.resolve("osnet"), VisionTestData.sessionConfig())) {
      List<PhotoCropScene.Crop> crops = PhotoCropScene.peopleInPhotos(yolox);
      assertTrue(crops.size() >= 18, "people found in the photos: " + crops.size());
      PhotoCropScene scene = new PhotoCropScene(7, crops, 12, 3);

      // Identities: cosine ≥ 0.6 over the mean of a track's first 8 embeddings; people walk A → B in
      // 1–12 s (the topology). Per camera: ByteTrack with appearance, lost tracks kept 1 s (5 frames).
      CrossCameraIdentities registry = new CrossCameraIdentities(
          new MultiCameraConfig(0.6, 600, 10, 8, CameraTopology.any().link("A", "B", 1, 12)));
      TrackerConfig tc = TrackerConfig.byteTrack().with(Map.of("appearanceWeight", "0.5", "maxAge", "5"));
      Map<String, KalmanTracker> trackers = Map.of("A", new KalmanTracker(tc), "B", new KalmanTracker(tc));
      // person -> camera -> global id -> frames
      Map<String, Map<String, Map<String, Integer>>> votes = new HashMap<>();
      Set<String> decided = new HashSet<>();
      if (DIAGNOSE) for (var p : scene.people) System.out.println(p.name() + " " + p.walks());
      for (int f = 0; f < scene.frames; f++) {
        double t = f / PhotoCropScene.FPS;
        for (String cam : List.of("A", "B")) {
          PhotoCropScene.View view = scene.render(cam, f);
          List<Detection> embedded = osnet.withEmbeddings(view.frame(), view.detections(), List.of("person"));
          List<TrackedObject> tracks = trackers.get(cam).update(t, embedded);
          for (TrackedObject o : registry.assign(cam, t, tracks)) {
            if (o.globalId() == null) continue;
            if (DIAGNOSE && decided.add(cam + o.trackId())) {
              System.out.printf("t=%.1f %s track %d (%s) -> %s%n", t, cam, o.trackId(), o.detection().subLabel(), o.globalId());
            }
            votes.computeIfAbsent(o.detection().subLabel(), k -> new HashMap<>())
                .computeIfAbsent(cam, k -> new HashMap<>()).merge(o.globalId(), 1, Integer::sum);
          }
        }
      }
      Map<String, Set<String>> holders = new HashMap<>();
      for (var p : votes.entrySet()) {
        for (var cam : p.getValue().values()) holders.computeIfAbsent(majority(cam), k -> new HashSet<>()).add(p.getKey());
      }
      int kept = 0, travellers = 0;
      List<String> lost = new ArrayList<>();
      for (PhotoCropScene.Person p : scene.people) {
        if (!p.traveller()) continue;
        travellers++;
        var v = votes.getOrDefault(p.name(), Map.of());
        String a = majority(v.get("A")), b = majority(v.get("B"));
        if (a != null && a.equals(b) && holders.get(a).equals(Set.of(p.name()))) kept++;
        else lost.add(p.name() + " A=" + v.get("A") + " B=" + v.get("B"));
      }
      double share = kept / (double) travellers;
      System.out.printf("real-crop two-camera scene: %d people in the photos, %d frames per camera, "
          + "%d/%d travellers kept their identity (%.1f %%), %d identities created%n",
          crops.size(), scene.frames, kept, travellers, 100 * share, registry.identityCount());
      assertTrue(share >= 0.9, "kept " + share + "; lost: " + lost);
    }
  }

  private static String majority(Map<String, Integer> v) {
    return v == null ? null : v.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }
}
