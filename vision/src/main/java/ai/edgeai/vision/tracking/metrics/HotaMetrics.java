package ai.edgeai.vision.tracking.metrics;

import ai.edgeai.vision.tracking.LinearAssignment;
import java.util.List;

/**
 * HOTA (Luiten et al. 2020) as TrackEval computes it: for each localisation threshold α in 0.05,
 * 0.10, …, 0.95 the frames are matched by an assignment that weighs IoU with the global alignment
 * of the two ids, giving DetA, AssA and LocA per α; HOTA(α) = √(DetA·AssA) and the reported values
 * are the means over α.
 *
 * @param tp, fn, fp per-α detection counts
 * @param assA, assRe, assPr, locA per-α association and localisation scores
 */
public record HotaMetrics(double[] tp, double[] fn, double[] fp, double[] assA, double[] assRe, double[] assPr,
    double[] locA) {

  /** α = 0.05 + k·0.05, computed as numpy.arange does so comparisons fall the same way. */
  static final double[] ALPHAS = new double[19];

  static {
    for (int k = 0; k < ALPHAS.length; k++) ALPHAS[k] = 0.05 + k * 0.05;
  }

  public double[] detA() {
    double[] r = new double[ALPHAS.length];
    for (int a = 0; a < r.length; a++) r[a] = tp[a] / Math.max(1, tp[a] + fn[a] + fp[a]);
    return r;
  }

  public double[] hotaPerAlpha() {
    double[] d = detA();
    double[] r = new double[ALPHAS.length];
    for (int a = 0; a < r.length; a++) r[a] = Math.sqrt(d[a] * assA[a]);
    return r;
  }

  public double hota() {
    return mean(hotaPerAlpha());
  }

  public double detAMean() {
    return mean(detA());
  }

  public double assAMean() {
    return mean(assA);
  }

  public double locAMean() {
    return mean(locA);
  }

  public double detReMean() {
    double[] r = new double[ALPHAS.length];
    for (int a = 0; a < r.length; a++) r[a] = tp[a] / Math.max(1, tp[a] + fn[a]);
    return mean(r);
  }

  public double detPrMean() {
    double[] r = new double[ALPHAS.length];
    for (int a = 0; a < r.length; a++) r[a] = tp[a] / Math.max(1, tp[a] + fp[a]);
    return mean(r);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  public static HotaMetrics compute(EvalSequence s) {
    int na = ALPHAS.length;
    double[] tp = new double[na], fn = new double[na], fp = new double[na];
    double[] assA = new double[na], assRe = new double[na], assPr = new double[na], locA = new double[na];
    int ng = s.numGtIds;
    int nt = s.numTrackerIds;
    if (ng == 0 || nt == 0) {
      for (int a = 0; a < na; a++) {
        fn[a] = s.numGtDets;
        fp[a] = s.numTrackerDets;
        locA[a] = 1;
      }
      return new HotaMetrics(tp, fn, fp, assA, assRe, assPr, locA);
    }
    double[][] potential = new double[ng][nt];
    double[] gtCount = new double[ng];
    double[] trCount = new double[nt];
    for (int t = 0; t < s.numFrames; t++) {
      int[] g = s.gtIds[t];
      int[] p = s.trackerIds[t];
      double[][] sim = s.similarity[t];
      double[] rowSum = new double[g.length];
      double[] colSum = new double[p.length];
      for (int i = 0; i < g.length; i++) {
        for (int j = 0; j < p.length; j++) {
          rowSum[i] += sim[i][j];
          colSum[j] += sim[i][j];
        }
      }
      for (int i = 0; i < g.length; i++) {
        for (int j = 0; j < p.length; j++) {
          double denom = colSum[j] + rowSum[i] - sim[i][j];
          if (denom > EvalSequence.EPS) potential[g[i]][p[j]] += sim[i][j] / denom;
        }
      }
      for (int id : g) gtCount[id]++;
      for (int id : p) trCount[id]++;
    }
    double[][] global = new double[ng][nt];
    for (int i = 0; i < ng; i++) {
      for (int j = 0; j < nt; j++) global[i][j] = potential[i][j] / (gtCount[i] + trCount[j] - potential[i][j]);
    }
    double[][][] matches = new double[na][ng][nt];
    for (int t = 0; t < s.numFrames; t++) {
      int[] g = s.gtIds[t];
      int[] p = s.trackerIds[t];
      if (g.length == 0) {
        for (int a = 0; a < na; a++) fp[a] += p.length;
        continue;
      }
      if (p.length == 0) {
        for (int a = 0; a < na; a++) fn[a] += g.length;
        continue;
      }
      double[][] sim = s.similarity[t];
      double[][] score = new double[g.length][p.length];
      for (int i = 0; i < g.length; i++) for (int j = 0; j < p.length; j++) score[i][j] = global[g[i]][p[j]] * sim[i][j];
      int[] assign = LinearAssignment.maximize(score);
      for (int a = 0; a < na; a++) {
        int n = 0;
        for (int i = 0; i < g.length; i++) {
          int j = assign[i];
          if (j < 0 || !(sim[i][j] >= ALPHAS[a] - EvalSequence.EPS)) continue;
          n++;
          locA[a] += sim[i][j];
          matches[a][g[i]][p[j]]++;
        }
        tp[a] += n;
        fn[a] += g.length - n;
        fp[a] += p.length - n;
      }
    }
    for (int a = 0; a < na; a++) {
      double sa = 0, sre = 0, spr = 0;
      for (int i = 0; i < ng; i++) {
        for (int j = 0; j < nt; j++) {
          double m = matches[a][i][j];
          if (m == 0) continue;
          sa += m * (m / Math.max(1, gtCount[i] + trCount[j] - m));
          sre += m * (m / Math.max(1, gtCount[i]));
          spr += m * (m / Math.max(1, trCount[j]));
        }
      }
      double denom = Math.max(1, tp[a]);
      assA[a] = sa / denom;
      assRe[a] = sre / denom;
      assPr[a] = spr / denom;
      locA[a] = Math.max(1e-10, locA[a]) / Math.max(1e-10, tp[a]);
    }
    return new HotaMetrics(tp, fn, fp, assA, assRe, assPr, locA);
  }

  /** Sums the counts and averages AssA/AssRe/AssPr/LocA weighted by TP, as TrackEval combines sequences. */
  public static HotaMetrics combine(List<HotaMetrics> all) {
    int na = ALPHAS.length;
    double[] tp = new double[na], fn = new double[na], fp = new double[na];
    double[] assA = new double[na], assRe = new double[na], assPr = new double[na], locA = new double[na];
    for (HotaMetrics h : all) {
      for (int a = 0; a < na; a++) {
        tp[a] += h.tp[a];
        fn[a] += h.fn[a];
        fp[a] += h.fp[a];
        assA[a] += h.assA[a] * h.tp[a];
        assRe[a] += h.assRe[a] * h.tp[a];
        assPr[a] += h.assPr[a] * h.tp[a];
        locA[a] += h.locA[a] * h.tp[a];
      }
    }
    for (int a = 0; a < na; a++) {
      double w = Math.max(1e-10, tp[a]);
      assA[a] /= w;
      assRe[a] /= w;
      assPr[a] /= w;
      locA[a] /= w;
    }
    return new HotaMetrics(tp, fn, fp, assA, assRe, assPr, locA);
  }
}
