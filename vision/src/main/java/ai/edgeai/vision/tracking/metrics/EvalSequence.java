package ai.edgeai.vision.tracking.metrics;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.tracking.LinearAssignment;
import ai.edgeai.vision.tracking.mot.MotRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One sequence ready for the metrics, after preprocessing: per frame the ground-truth and tracker
 * ids (relabelled 0..n−1) and their IoU matrix.
 */
public final class EvalSequence {

  /** numpy's float64 epsilon, used exactly where TrackEval uses it so ties fall the same way. */
  static final double EPS = Math.ulp(1.0);

  private static final Set<Integer> DISTRACTOR_CLASSES = Set.of(2, 7, 8, 12);
  private static final int PEDESTRIAN = 1;
  private static final int MAX_MOT17_CLASS = 13;

  final String name;
  final int numFrames;
  final int numGtIds;
  final int numTrackerIds;
  final int[][] gtIds;
  final int[][] trackerIds;
  final double[][][] similarity;
  final int numGtDets;
  final int numTrackerDets;

  private EvalSequence(String name, int[][] gtIds, int[][] trackerIds, double[][][] similarity, int numGtIds,
      int numTrackerIds) {
    this.name = name;
    this.numFrames = gtIds.length;
    this.gtIds = gtIds;
    this.trackerIds = trackerIds;
    this.similarity = similarity;
    this.numGtIds = numGtIds;
    this.numTrackerIds = numTrackerIds;
    int g = 0, t = 0;
    for (int[] a : gtIds) g += a.length;
    for (int[] a : trackerIds) t += a.length;
    this.numGtDets = g;
    this.numTrackerDets = t;
  }

  public String name() {
    return name;
  }

  public int numFrames() {
    return numFrames;
  }

  /**
   * Builds the sequence from ground truth and tracker records.
   *
   * @param numFrames frames 1..numFrames are evaluated (seqinfo's seqLength); ≤ 0 means up to the
   *     last frame found in either file. Records in later frames are ignored, as in TrackEval.
   * @param gtSource, trackerSource names used in error messages (usually the file paths)
   * @throws IllegalArgumentException for an id used twice in one frame, or an unknown MOT17 class
   */
  public static EvalSequence prepare(String name, List<MotRecord> gt, String gtSource, List<MotRecord> tracker,
      String trackerSource, int numFrames, MotBenchmark benchmark) {
    int frames = numFrames;
    if (frames <= 0) {
      for (MotRecord r : gt) frames = Math.max(frames, r.frame());
      for (MotRecord r : tracker) frames = Math.max(frames, r.frame());
    }
    List<List<MotRecord>> gtByFrame = byFrame(gt, frames, gtSource, "ground truth");
    List<List<MotRecord>> trByFrame = byFrame(tracker, frames, trackerSource, "tracker");

    int[][] gtRaw = new int[frames][];
    int[][] trRaw = new int[frames][];
    double[][][] sim = new double[frames][][];
    for (int t = 0; t < frames; t++) {
      List<MotRecord> g = gtByFrame.get(t);
      List<MotRecord> p = trByFrame.get(t);
      double[][] s = new double[g.size()][p.size()];
      for (int i = 0; i < g.size(); i++) {
        BoundingBox gb = g.get(i).box();
        for (int j = 0; j < p.size(); j++) s[i][j] = gb.iou(p.get(j).box());
      }
      boolean[] removeTracker = new boolean[p.size()];
      if (benchmark == MotBenchmark.MOT17) {
        for (MotRecord r : g) {
          if (r.classId() < 1 || r.classId() > MAX_MOT17_CLASS) {
            throw new IllegalArgumentException(gtSource + ":" + r.line() + ": class " + r.classId()
                + " is not a MOT17 class (1..13); use --benchmark mot15 for files without classes");
          }
        }
        if (!g.isEmpty() && !p.isEmpty()) {
          double[][] m = new double[g.size()][p.size()];
          for (int i = 0; i < g.size(); i++) {
            for (int j = 0; j < p.size(); j++) m[i][j] = s[i][j] < 0.5 - EPS ? 0 : s[i][j];
          }
          int[] assign = LinearAssignment.maximize(m);
          for (int i = 0; i < assign.length; i++) {
            int j = assign[i];
            if (j >= 0 && m[i][j] > EPS && DISTRACTOR_CLASSES.contains(g.get(i).classId())) removeTracker[j] = true;
          }
        }
      }
      List<Integer> keepG = new ArrayList<>();
      for (int i = 0; i < g.size(); i++) {
        MotRecord r = g.get(i);
        boolean keep = r.conf() != 0 && (benchmark == MotBenchmark.MOT15 || r.classId() == PEDESTRIAN);
        if (keep) keepG.add(i);
      }
      List<Integer> keepT = new ArrayList<>();
      for (int j = 0; j < p.size(); j++) if (!removeTracker[j]) keepT.add(j);
      gtRaw[t] = new int[keepG.size()];
      trRaw[t] = new int[keepT.size()];
      sim[t] = new double[keepG.size()][keepT.size()];
      for (int a = 0; a < keepG.size(); a++) {
        gtRaw[t][a] = g.get(keepG.get(a)).id();
        for (int b = 0; b < keepT.size(); b++) sim[t][a][b] = s[keepG.get(a)][keepT.get(b)];
      }
      for (int b = 0; b < keepT.size(); b++) trRaw[t][b] = p.get(keepT.get(b)).id();
    }
    int numGt = relabel(gtRaw);
    int numTr = relabel(trRaw);
    return new EvalSequence(name, gtRaw, trRaw, sim, numGt, numTr);
  }

  private static List<List<MotRecord>> byFrame(List<MotRecord> records, int frames, String source, String what) {
    List<List<MotRecord>> out = new ArrayList<>(frames);
    List<Map<Integer, MotRecord>> seen = new ArrayList<>(frames);
    for (int t = 0; t < frames; t++) {
      out.add(new ArrayList<>());
      seen.add(new HashMap<>());
    }
    for (MotRecord r : records) {
      if (r.frame() > frames) continue;
      MotRecord before = seen.get(r.frame() - 1).putIfAbsent(r.id(), r);
      if (before != null) {
        throw new IllegalArgumentException(source + ":" + r.line() + ": " + what + " id " + r.id()
            + " appears twice in frame " + r.frame() + " (first at line " + before.line() + ")");
      }
      out.get(r.frame() - 1).add(r);
    }
    return out;
  }

  /** Replaces ids in place by their rank among all ids present; returns how many there are. */
  private static int relabel(int[][] ids) {
    TreeSet<Integer> unique = new TreeSet<>();
    for (int[] a : ids) for (int id : a) unique.add(id);
    Map<Integer, Integer> map = new TreeMap<>();
    for (int id : unique) map.put(id, map.size());
    for (int[] a : ids) for (int i = 0; i < a.length; i++) a[i] = map.get(a[i]);
    return unique.size();
  }
}
