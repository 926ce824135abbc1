package ai.edgeai.vision.tracking.metrics;

import ai.edgeai.vision.tracking.LinearAssignment;
import java.util.List;

/**
 * Identity metrics (Ristani et al. 2016): one global one-to-one assignment of tracker ids to
 * ground-truth ids maximising the frames where the pair overlaps with IoU ≥ 0.5; IDTP are those
 * frames, IDFN/IDFP every other ground-truth/tracker box.
 */
public record IdentityMetrics(long idtp, long idfn, long idfp) {

  public double idf1() {
    return idtp / Math.max(1, idtp + 0.5 * idfp + 0.5 * idfn);
  }

  public double idp() {
    return idtp / (double) Math.max(1, idtp + idfp);
  }

  public double idr() {
    return idtp / (double) Math.max(1, idtp + idfn);
  }

  public static IdentityMetrics compute(EvalSequence s) {
    int ng = s.numGtIds;
    int nt = s.numTrackerIds;
    if (ng == 0 || nt == 0) return new IdentityMetrics(0, s.numGtDets, s.numTrackerDets);
    double[][] potential = new double[ng][nt];
    double[] gtCount = new double[ng];
    double[] trCount = new double[nt];
    for (int t = 0; t < s.numFrames; t++) {
      int[] g = s.gtIds[t];
      int[] p = s.trackerIds[t];
      for (int i = 0; i < g.length; i++) {
        for (int j = 0; j < p.length; j++) if (s.similarity[t][i][j] >= ClearMetrics.THRESHOLD) potential[g[i]][p[j]]++;
      }
      for (int id : g) gtCount[id]++;
      for (int id : p) trCount[id]++;
    }
    // Square problem over ground-truth ids + dummy "unmatched tracker" columns and tracker ids +
    // dummy "unmatched ground truth" rows, as in TrackEval; 1e10 forbids dummy-to-real pairs.
    int n = ng + nt;
    double[][] fn = new double[n][n];
    double[][] fp = new double[n][n];
    for (int r = ng; r < n; r++) for (int c = 0; c < nt; c++) fp[r][c] = 1e10;
    for (int r = 0; r < ng; r++) for (int c = nt; c < n; c++) fn[r][c] = 1e10;
    for (int r = 0; r < ng; r++) {
      for (int c = 0; c < nt; c++) fn[r][c] = gtCount[r] - potential[r][c];
      fn[r][nt + r] = gtCount[r];
    }
    for (int c = 0; c < nt; c++) {
      for (int r = 0; r < ng; r++) fp[r][c] = trCount[c] - potential[r][c];
      fp[ng + c][c] = trCount[c];
    }
    double[][] cost = new double[n][n];
    for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) cost[r][c] = fn[r][c] + fp[r][c];
    int[] assign = LinearAssignment.minimize(cost);
    double idfn = 0, idfp = 0;
    for (int r = 0; r < n; r++) {
      idfn += fn[r][assign[r]];
      idfp += fp[r][assign[r]];
    }
    long totalGt = 0;
    for (double c : gtCount) totalGt += (long) c;
    return new IdentityMetrics(totalGt - (long) idfn, (long) idfn, (long) idfp);
  }

  public static IdentityMetrics combine(List<IdentityMetrics> all) {
    long tp = 0, fn = 0, fp = 0;
    for (IdentityMetrics m : all) {
      tp += m.idtp;
      fn += m.idfn;
      fp += m.idfp;
    }
    return new IdentityMetrics(tp, fn, fp);
  }
}
