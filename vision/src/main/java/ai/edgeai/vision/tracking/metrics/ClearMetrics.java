package ai.edgeai.vision.tracking.metrics;

import ai.edgeai.vision.tracking.LinearAssignment;
import java.util.Arrays;
import java.util.List;

/**
 * CLEAR MOT counts (Bernardin &amp; Stiefelhagen 2008) as TrackEval computes them: per frame, an
 * optimal assignment on IoU ≥ 0.5 that keeps last frame's pairs when they are still valid; an
 * identity switch when a ground-truth object is matched to a different tracker id than the last
 * time it was matched; MT/PT/ML by tracked ratio &gt; 0.8 / ≥ 0.2; Frag counts every tracked span
 * of a ground-truth object after its first.
 *
 * @param motpSum Σ IoU of the matches
 */
public record ClearMetrics(long tp, long fn, long fp, long idsw, long mt, long pt, long ml, long frag, double motpSum) {

  static final double THRESHOLD = 0.5;

  public double mota() {
    return (tp - fp - idsw) / (double) Math.max(1, tp + fn);
  }

  /** Mean IoU of matched pairs (MOTChallenge's MOTP, 1 − distance). */
  public double motp() {
    return motpSum / Math.max(1, tp);
  }

  public double recall() {
    return tp / (double) Math.max(1, tp + fn);
  }

  public double precision() {
    return tp / (double) Math.max(1, tp + fp);
  }

  public static ClearMetrics compute(EvalSequence s) {
    long tp = 0, fn = 0, fp = 0, idsw = 0;
    double motpSum = 0;
    int[] gtIdCount = new int[s.numGtIds];
    int[] gtMatchedCount = new int[s.numGtIds];
    int[] gtFragCount = new int[s.numGtIds];
    int[] prevTrackerId = new int[s.numGtIds]; // -1: never matched
    int[] prevFrameTrackerId = new int[s.numGtIds]; // -1: not matched in the last scored frame
    Arrays.fill(prevTrackerId, -1);
    Arrays.fill(prevFrameTrackerId, -1);
    for (int t = 0; t < s.numFrames; t++) {
      int[] g = s.gtIds[t];
      int[] p = s.trackerIds[t];
      if (g.length == 0) {
        fp += p.length;
        continue;
      }
      if (p.length == 0) {
        // As in TrackEval, a frame without tracker boxes neither resets "tracked last frame" nor
        // counts for fragmentation.
        fn += g.length;
        for (int id : g) gtIdCount[id]++;
        continue;
      }
      double[][] sim = s.similarity[t];
      double[][] score = new double[g.length][p.length];
      for (int i = 0; i < g.length; i++) {
        for (int j = 0; j < p.length; j++) {
          double v = (prevFrameTrackerId[g[i]] == p[j] ? 1000 : 0) + sim[i][j];
          score[i][j] = sim[i][j] < THRESHOLD - EvalSequence.EPS ? 0 : v;
        }
      }
      int[] assign = LinearAssignment.maximize(score);
      boolean[] wasTracked = new boolean[s.numGtIds];
      for (int k = 0; k < s.numGtIds; k++) wasTracked[k] = prevFrameTrackerId[k] >= 0;
      Arrays.fill(prevFrameTrackerId, -1);
      int matches = 0;
      for (int i = 0; i < g.length; i++) {
        int j = assign[i];
        if (j < 0 || !(score[i][j] > EvalSequence.EPS)) continue;
        int gid = g[i];
        int tid = p[j];
        if (prevTrackerId[gid] >= 0 && prevTrackerId[gid] != tid) idsw++;
        gtMatchedCount[gid]++;
        prevTrackerId[gid] = tid;
        prevFrameTrackerId[gid] = tid;
        matches++;
        motpSum += sim[i][j];
      }
      for (int id : g) gtIdCount[id]++;
      for (int k = 0; k < s.numGtIds; k++) if (!wasTracked[k] && prevFrameTrackerId[k] >= 0) gtFragCount[k]++;
      tp += matches;
      fn += g.length - matches;
      fp += p.length - matches;
    }
    long mt = 0, ptCount = 0, frag = 0;
    for (int k = 0; k < s.numGtIds; k++) {
      if (gtFragCount[k] > 0) frag += gtFragCount[k] - 1;
      if (gtIdCount[k] == 0) continue;
      double ratio = gtMatchedCount[k] / (double) gtIdCount[k];
      if (ratio > 0.8) mt++;
      else if (ratio >= 0.2) ptCount++;
    }
    long ml = s.numGtIds - mt - ptCount;
    return new ClearMetrics(tp, fn, fp, idsw, mt, ptCount, ml, frag, motpSum);
  }

  /** Sums over sequences (MOTA, MOTP etc. are then computed from the sums, as TrackEval does). */
  public static ClearMetrics combine(List<ClearMetrics> all) {
    long tp = 0, fn = 0, fp = 0, idsw = 0, mt = 0, pt = 0, ml = 0, frag = 0;
    double motp = 0;
    for (ClearMetrics c : all) {
      tp += c.tp;
      fn += c.fn;
      fp += c.fp;
      idsw += c.idsw;
      mt += c.mt;
      pt += c.pt;
      ml += c.ml;
      frag += c.frag;
      motp += c.motpSum;
    }
    return new ClearMetrics(tp, fn, fp, idsw, mt, pt, ml, frag, motp);
  }
}
