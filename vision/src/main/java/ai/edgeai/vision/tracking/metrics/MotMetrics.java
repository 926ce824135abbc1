package ai.edgeai.vision.tracking.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CLEAR, Identity and HOTA results for one sequence or a combination of sequences. */
public record MotMetrics(ClearMetrics clear, IdentityMetrics identity, HotaMetrics hota) {

  public static MotMetrics evaluate(EvalSequence s) {
    return new MotMetrics(ClearMetrics.compute(s), IdentityMetrics.compute(s), HotaMetrics.compute(s));
  }

  public static MotMetrics combine(List<MotMetrics> all) {
    return new MotMetrics(
        ClearMetrics.combine(all.stream().map(MotMetrics::clear).toList()),
        IdentityMetrics.combine(all.stream().map(MotMetrics::identity).toList()),
        HotaMetrics.combine(all.stream().map(MotMetrics::hota).toList()));
  }

  /**
   * The MOTChallenge summary: ratios as percentages (MOTA, MOTP, IDF1, IDP, IDR, HOTA, DetA, AssA,
   * LocA, Recall, Precision), counts as integers (FP, FN, IDSW, Frag, MT, PT, ML, IDTP, IDFP, IDFN).
   */
  public Map<String, Number> summary() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("MOTA", pct(clear.mota()));
    m.put("MOTP", pct(clear.motp()));
    m.put("IDF1", pct(identity.idf1()));
    m.put("IDP", pct(identity.idp()));
    m.put("IDR", pct(identity.idr()));
    m.put("HOTA", pct(hota.hota()));
    m.put("DetA", pct(hota.detAMean()));
    m.put("AssA", pct(hota.assAMean()));
    m.put("LocA", pct(hota.locAMean()));
    m.put("Recall", pct(clear.recall()));
    m.put("Precision", pct(clear.precision()));
    m.put("FP", clear.fp());
    m.put("FN", clear.fn());
    m.put("IDSW", clear.idsw());
    m.put("Frag", clear.frag());
    m.put("MT", clear.mt());
    m.put("PT", clear.pt());
    m.put("ML", clear.ml());
    m.put("IDTP", identity.idtp());
    m.put("IDFP", identity.idfp());
    m.put("IDFN", identity.idfn());
    return m;
  }

  private static double pct(double v) {
    return 100 * v;
  }
}
