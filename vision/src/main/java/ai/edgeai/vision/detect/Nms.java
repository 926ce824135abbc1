package ai.edgeai.vision.detect;

import ai.edgeai.vision.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression, class-aware or class-agnostic. */
public final class Nms {
  private Nms() {}

  /**
   * Indices of the candidates that survive, highest score first.
   *
   * @param iouThreshold a box overlapping a kept one by more than this is dropped
   * @param classAgnostic suppress across classes; otherwise only boxes of the same class compete
   */
  public static int[] select(Candidates c, double iouThreshold, boolean classAgnostic, int maxKept) {
    int n = c.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.Arrays.sort(order, (a, b) -> Float.compare(c.score(b), c.score(a)));
    boolean[] suppressed = new boolean[n];
    int[] kept = new int[Math.min(n, maxKept)];
    int k = 0;
    for (int oi = 0; oi < n && k < kept.length; oi++) {
      if (suppressed[oi]) continue;
      int i = order[oi];
      kept[k++] = i;
      for (int oj = oi + 1; oj < n; oj++) {
        if (suppressed[oj]) continue;
        int j = order[oj];
        if ((classAgnostic || c.classId(i) == c.classId(j)) && c.iou(i, j) > iouThreshold) suppressed[oj] = true;
      }
    }
    return java.util.Arrays.copyOf(kept, k);
  }

  /** NMS over finished detections (e.g. merged from several sources), highest score first. */
  public static List<Detection> apply(List<Detection> detections, double iouThreshold, boolean classAgnostic) {
    List<Detection> sorted = new ArrayList<>(detections);
    sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    outer:
    for (Detection d : sorted) {
      for (Detection k : kept) {
        if ((classAgnostic || k.classId() == d.classId()) && k.box().iou(d.box()) > iouThreshold) continue outer;
      }
      kept.add(d);
    }
    return kept;
  }
}
