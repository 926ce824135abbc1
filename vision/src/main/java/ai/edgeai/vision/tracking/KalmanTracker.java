package ai.edgeai.vision.tracking;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SORT- and ByteTrack-style multi-object tracker: a constant-velocity Kalman filter per track
 * ({@link BoxKalmanFilter}) and optimal assignment ({@link LinearAssignment}) on IoU, optionally
 * blended with the cosine similarity of appearance embeddings. Class-aware when configured so.
 *
 * <p>Life cycle: a new track is TENTATIVE; {@code minHits} consecutive matches make it CONFIRMED;
 * an unmatched confirmed track is LOST and is REMOVED after {@code maxAge} unmatched frames
 * (tentative ones after {@code tentativeMaxAge}).
 */
public final class KalmanTracker implements Tracker {

  private final TrackerConfig config;
  private final List<Track> tracks = new ArrayList<>();
  private long nextId = 1;
  private long frame;
  private double lastTime = Double.NEGATIVE_INFINITY;

  public KalmanTracker(TrackerConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
  }

  public TrackerConfig config() {
    return config;
  }

  @Override
  public List<TrackedObject> update(double frameTimeSeconds, List<Detection> detections) {
    if (!(frameTimeSeconds >= lastTime)) {
      throw new IllegalArgumentException("frame time went backwards: " + frameTimeSeconds + " after " + lastTime);
    }
    lastTime = frameTimeSeconds;
    frame++;

    for (var it = tracks.iterator(); it.hasNext(); ) {
      Track t = it.next();
      if (t.framesSinceUpdate > 0) t.hitStreak = 0;
      t.filter.predict();
      t.framesSinceUpdate++;
      t.predicted = t.filter.box();
      if (t.predicted == null) it.remove(); // the filter no longer describes a box
    }

    List<Detection> usable = new ArrayList<>(detections.size());
    for (Detection d : detections) if (d.score() >= config.minScore()) usable.add(d);
    boolean[] used = new boolean[usable.size()];

    if (config.association() == TrackerConfig.Association.SORT) {
      match(tracks, usable, used, all(usable.size()), config.iouThreshold(), false, frameTimeSeconds);
      startTracks(usable, used, all(usable.size()), frameTimeSeconds);
    } else {
      List<Integer> high = new ArrayList<>();
      List<Integer> low = new ArrayList<>();
      for (int i = 0; i < usable.size(); i++) (usable.get(i).score() >= config.highScore() ? high : low).add(i);
      List<Track> confirmed = new ArrayList<>();
      List<Track> tentative = new ArrayList<>();
      for (Track t : tracks) (t.confirmed ? confirmed : tentative).add(t);
      match(confirmed, usable, used, high, config.iouThreshold(), true, frameTimeSeconds);
      // Second round: low-score detections only continue tracks that were matched last frame, where
      // the prediction is reliable; a low-score box is too weak evidence to revive a lost track.
      List<Track> recent = new ArrayList<>();
      for (Track t : confirmed) if (t.framesSinceUpdate == 1) recent.add(t);
      match(recent, usable, used, low, config.lowIouThreshold(), true, frameTimeSeconds);
      match(tentative, usable, used, high, config.tentativeIouThreshold(), true, frameTimeSeconds);
      startTracks(usable, used, high, frameTimeSeconds);
    }

    List<TrackedObject> out = new ArrayList<>();
    for (var it = tracks.iterator(); it.hasNext(); ) {
      Track t = it.next();
      if (t.framesSinceUpdate == 0) {
        boolean streakOk = t.hitStreak >= config.minHits();
        boolean report = frame <= config.minHits() || (config.streakConfirms() ? streakOk : (t.confirmed || streakOk));
        if (report) {
          t.confirmed = true;
          out.add(t.snapshot(TrackState.CONFIRMED));
        }
      }
      int limit = t.confirmed ? config.maxAge() : config.tentativeMaxAge();
      if (t.framesSinceUpdate > limit) it.remove();
    }
    return out;
  }

  @Override
  public List<TrackedObject> activeTracks() {
    List<TrackedObject> out = new ArrayList<>();
    for (Track t : tracks) {
      if (t.confirmed) out.add(t.snapshot(t.framesSinceUpdate == 0 ? TrackState.CONFIRMED : TrackState.LOST));
    }
    return out;
  }

  /** Number of tracks held, tentative ones included. */
  public int size() {
    return tracks.size();
  }

  private static List<Integer> all(int n) {
    List<Integer> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) l.add(i);
    return l;
  }

  private void startTracks(List<Detection> dets, boolean[] used, List<Integer> candidates, double time) {
    for (int i : candidates) {
      if (used[i]) continue;
      Detection d = dets.get(i);
      if (d.score() < config.newTrackScore()) continue;
      used[i] = true;
      tracks.add(new Track(nextId++, d, time));
    }
  }

  /**
   * Matches the given tracks (those not yet matched this frame) with the unused candidate
   * detections. With {@code gateFirst} inadmissible pairs are excluded before solving (ByteTrack);
   * without, the assignment maximises total score over all overlapping pairs and pairs under the
   * threshold are rejected afterwards (SORT). Solved per connected component of overlapping pairs,
   * which gives the same optimum as one big problem and keeps crowded frames cheap.
   */
  private void match(List<Track> pool, List<Detection> dets, boolean[] used, List<Integer> candidates,
      double iouThreshold, boolean gateFirst, double time) {
    List<Track> ts = new ArrayList<>();
    for (Track t : pool) if (t.framesSinceUpdate > 0) ts.add(t);
    List<Integer> ds = new ArrayList<>();
    for (int i : candidates) if (!used[i]) ds.add(i);
    int nt = ts.size();
    int nd = ds.size();
    if (nt == 0 || nd == 0) return;
    double[][] score = new double[nt][nd];
    boolean[][] admissible = new boolean[nt][nd];
    boolean appearance = config.appearanceWeight() > 0;
    double[] detNorm = new double[nd];
    if (appearance) {
      for (int b = 0; b < nd; b++) {
        float[] e = dets.get(ds.get(b)).embedding();
        detNorm[b] = e == null ? 0 : norm(e);
      }
    }
    for (int a = 0; a < nt; a++) {
      Track t = ts.get(a);
      BoundingBox tb = t.predicted;
      // Appearance may admit pairs that do not overlap, but only near the prediction.
      double reach = config.appearanceGate() * Math.hypot(tb.width(), tb.height());
      for (int b = 0; b < nd; b++) {
        Detection d = dets.get(ds.get(b));
        if (config.classAware() && d.classId() != t.classId) continue;
        double iou = tb.iou(d.box());
        double s = iou;
        boolean ok = iou >= iouThreshold;
        if (appearance && t.embedding != null && detNorm[b] > 0
            && Math.hypot(d.box().centerX() - tb.centerX(), d.box().centerY() - tb.centerY()) <= reach) {
          float[] e = d.embedding();
          if (e.length != t.embedding.length) {
            throw new IllegalArgumentException("embedding sizes differ: " + e.length + " vs " + t.embedding.length);
          }
          double dot = 0;
          for (int i = 0; i < e.length; i++) dot += t.embedding[i] * e[i];
          double cos = dot / detNorm[b]; // the track's embedding is kept unit-length
          s = (1 - config.appearanceWeight()) * iou + config.appearanceWeight() * Math.max(0, cos);
          ok = ok || cos >= config.appearanceThreshold();
        }
        admissible[a][b] = ok;
        score[a][b] = (gateFirst && !ok) ? 0 : s;
      }
    }
    // Connected components over pairs with a positive score (union-find on tracks ∪ detections).
    int[] parent = new int[nt + nd];
    for (int i = 0; i < parent.length; i++) parent[i] = i;
    for (int a = 0; a < nt; a++) {
      for (int b = 0; b < nd; b++) if (score[a][b] > 0) union(parent, a, nt + b);
    }
    List<List<Integer>> compTracks = new ArrayList<>();
    List<List<Integer>> compDets = new ArrayList<>();
    int[] compOf = new int[nt + nd];
    Arrays.fill(compOf, -1);
    for (int i = 0; i < nt + nd; i++) {
      int r = find(parent, i);
      if (compOf[r] < 0) {
        compOf[r] = compTracks.size();
        compTracks.add(new ArrayList<>());
        compDets.add(new ArrayList<>());
      }
      (i < nt ? compTracks.get(compOf[r]) : compDets.get(compOf[r])).add(i < nt ? i : i - nt);
    }
    for (int c = 0; c < compTracks.size(); c++) {
      List<Integer> ct = compTracks.get(c);
      List<Integer> cd = compDets.get(c);
      if (ct.isEmpty() || cd.isEmpty()) continue;
      double[][] sub = new double[ct.size()][cd.size()];
      for (int i = 0; i < ct.size(); i++) {
        for (int j = 0; j < cd.size(); j++) sub[i][j] = score[ct.get(i)][cd.get(j)];
      }
      int[] assign = LinearAssignment.maximize(sub);
      for (int i = 0; i < assign.length; i++) {
        if (assign[i] < 0) continue;
        int a = ct.get(i);
        int b = cd.get(assign[i]);
        if (!admissible[a][b]) continue;
        used[ds.get(b)] = true;
        ts.get(a).update(dets.get(ds.get(b)), time, config.embeddingMomentum());
      }
    }
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    parent[find(parent, a)] = find(parent, b);
  }

  private static double norm(float[] v) {
    double n = 0;
    for (float x : v) n += x * x;
    return Math.sqrt(n);
  }

  private static final class Track {
    final long id;
    final int classId;
    final BoxKalmanFilter filter;
    final double firstSeen;
    Detection last;
    double lastSeen;
    int hits;
    int hitStreak;
    int framesSinceUpdate;
    boolean confirmed;
    BoundingBox predicted;
    float[] embedding;

    Track(long id, Detection d, double time) {
      this.id = id;
      this.classId = d.classId();
      this.filter = new BoxKalmanFilter(d.box());
      this.firstSeen = time;
      this.lastSeen = time;
      this.last = d;
      this.hits = 1; // the creating detection counts as a hit; the streak (SORT) does not
      this.embedding = d.embedding() == null ? null : normalized(d.embedding());
    }

    void update(Detection d, double time, double momentum) {
      filter.update(d.box());
      last = d;
      lastSeen = time;
      hits++;
      hitStreak++;
      framesSinceUpdate = 0;
      if (d.embedding() != null) {
        float[] e = normalized(d.embedding());
        if (embedding == null || embedding.length != e.length) {
          embedding = e;
        } else {
          for (int i = 0; i < e.length; i++) embedding[i] = (float) (momentum * embedding[i] + (1 - momentum) * e[i]);
          embedding = normalized(embedding);
        }
      }
    }

    TrackedObject snapshot(TrackState state) {
      BoundingBox box = filter.box();
      if (box == null) box = last.box();
      Detection d = new Detection(last.label(), last.classId(), last.score(), box, last.landmarks(),
          last.subLabel(), last.similarity(), embedding == null ? null : embedding.clone());
      return new TrackedObject(id, null, state, d, firstSeen, lastSeen, hits);
    }
  }

  static float[] normalized(float[] v) {
    double n = 0;
    for (float x : v) n += x * x;
    n = Math.sqrt(n);
    float[] out = new float[v.length];
    if (n == 0) return out;
    for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / n);
    return out;
  }
}
