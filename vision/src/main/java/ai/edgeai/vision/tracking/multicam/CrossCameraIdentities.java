package ai.edgeai.vision.tracking.multicam;

import ai.edgeai.vision.tracking.LinearAssignment;
import ai.edgeai.vision.tracking.TrackedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gives tracks from several cameras one global id per physical object, from appearance
 * embeddings ({@code Detection.embedding}, e.g. OSNet for people, face embeddings): per class, a
 * gallery of identities, each holding the mean embeddings of the tracks that took it. A track
 * collects {@code observationsToDecide} embeddings, then takes the most similar identity that is
 * of its class, was seen within the time window, is allowed by the topology and is not shown by
 * another track of the same camera in the same frame — when the similarity reaches the threshold;
 * otherwise it founds a new identity. Tracks deciding in the same call are assigned jointly
 * (optimal assignment), so two of them never take one identity.
 *
 * <p>All cameras share one clock (seconds). Thread-safe: cameras may call from their own threads.
 */
public final class CrossCameraIdentities {

  private final MultiCameraConfig config;
  private final Map<String, Identity> identities = new LinkedHashMap<>();
  private final Map<String, TrackInfo> tracks = new HashMap<>();
  private long nextId = 1;

  public CrossCameraIdentities(MultiCameraConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  private static final class Identity {
    final String globalId;
    final int classId;
    final LinkedHashMap<String, float[]> gallery = new LinkedHashMap<>(); // track key -> mean embedding
    final Map<String, Double> lastSeenOnCamera = new HashMap<>();
    String lastCamera;
    double lastSeen;

    Identity(String globalId, int classId) {
      this.globalId = globalId;
      this.classId = classId;
    }
  }

  private static final class TrackInfo {
    final String key;
    final int classId;
    double[] sum;
    int embeddings;
    int frames;
    double lastSeen;
    String globalId;

    TrackInfo(String key, int classId) {
      this.key = key;
      this.classId = classId;
    }

    float[] mean() {
      if (sum == null) return null;
      double n = 0;
      for (double v : sum) n += v * v;
      n = Math.sqrt(n);
      float[] m = new float[sum.length];
      if (n > 0) for (int i = 0; i < m.length; i++) m[i] = (float) (sum[i] / n);
      return m;
    }
  }

  /**
   * Records one frame of one camera and returns the tracks with their global ids (null while a
   * track is still collecting embeddings).
   */
  public synchronized List<TrackedObject> assign(String cameraId, double timeSeconds, List<TrackedObject> frameTracks) {
    Objects.requireNonNull(cameraId, "cameraId");
    forgetOld(timeSeconds);
    List<TrackInfo> infos = new ArrayList<>(frameTracks.size());
    List<TrackInfo> deciding = new ArrayList<>();
    for (TrackedObject t : frameTracks) {
      String key = cameraId + "\u0000" + t.trackId();
      TrackInfo info = tracks.computeIfAbsent(key, k -> new TrackInfo(k, t.detection().classId()));
      info.frames++;
      info.lastSeen = timeSeconds;
      float[] e = t.detection().embedding();
      if (e != null) {
        if (info.sum == null) info.sum = new double[e.length];
        if (info.sum.length == e.length) {
          double n = 0;
          for (float v : e) n += v * v;
          n = Math.sqrt(n);
          if (n > 0) {
            for (int i = 0; i < e.length; i++) info.sum[i] += e[i] / n;
            info.embeddings++;
          }
        }
      }
      infos.add(info);
      if (info.globalId != null) {
        touch(identities.get(info.globalId), info, cameraId, timeSeconds);
      } else if (info.embeddings >= config.observationsToDecide()
          || (info.embeddings == 0 && info.frames >= config.observationsToDecide())) {
        deciding.add(info);
      }
    }
    decide(deciding, cameraId, timeSeconds);
    List<TrackedObject> out = new ArrayList<>(frameTracks.size());
    for (int i = 0; i < frameTracks.size(); i++) out.add(frameTracks.get(i).withGlobalId(infos.get(i).globalId));
    return out;
  }

  /** Number of identities currently remembered. */
  public synchronized int identityCount() {
    return identities.size();
  }

  private void decide(List<TrackInfo> deciding, String camera, double time) {
    if (deciding.isEmpty()) return;
    List<Identity> candidates = new ArrayList<>();
    for (Identity id : identities.values()) {
      double elapsed = time - id.lastSeen;
      if (elapsed > config.timeWindowSeconds()) continue;
      if (id.lastSeenOnCamera.getOrDefault(camera, Double.NaN) == time) continue; // shown by another track here
      if (!config.topology().allows(id.lastCamera, camera, elapsed)) continue;
      candidates.add(id);
    }
    double[][] score = new double[deciding.size()][candidates.size()];
    for (int a = 0; a < deciding.size(); a++) {
      TrackInfo t = deciding.get(a);
      float[] q = t.mean();
      for (int b = 0; b < candidates.size(); b++) {
        Identity id = candidates.get(b);
        double best = -1;
        if (q != null && id.classId == t.classId) {
          for (float[] g : id.gallery.values()) if (g.length == q.length) best = Math.max(best, dot(q, g));
        }
        score[a][b] = best;
      }
    }
    int[] assign = candidates.isEmpty() ? new int[deciding.size()] : LinearAssignment.maximize(score);
    for (int a = 0; a < deciding.size(); a++) {
      TrackInfo t = deciding.get(a);
      Identity chosen = null;
      if (!candidates.isEmpty() && assign[a] >= 0 && score[a][assign[a]] >= config.similarityThreshold()) {
        chosen = candidates.get(assign[a]);
      }
      if (chosen == null) {
        chosen = new Identity("g" + nextId++, t.classId);
        identities.put(chosen.globalId, chosen);
      }
      t.globalId = chosen.globalId;
      touch(chosen, t, camera, time);
    }
  }

  private void touch(Identity id, TrackInfo t, String camera, double time) {
    if (id == null) return;
    id.lastCamera = camera;
    id.lastSeen = time;
    id.lastSeenOnCamera.put(camera, time);
    float[] mean = t.mean();
    if (mean != null) {
      id.gallery.remove(t.key); // re-insert as most recent
      id.gallery.put(t.key, mean);
      while (id.gallery.size() > config.galleryPerIdentity()) {
        Iterator<String> it = id.gallery.keySet().iterator();
        it.next();
        it.remove();
      }
    }
  }

  private void forgetOld(double time) {
    identities.values().removeIf(id -> time - id.lastSeen > config.timeWindowSeconds());
    tracks.values().removeIf(t -> time - t.lastSeen > config.timeWindowSeconds());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
