package ai.edgeai.vision.detect;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.ModelOutputs;
import java.util.Arrays;
import java.util.Map;

/**
 * NanoDet / PP-PicoDet heads (Generalised Focal Loss): per stride a class tensor [N,C] (sigmoided)
 * and a distance distribution [N,4·(reg_max+1)] per side (left, top, right, bottom). Distance =
 * expected bin under a softmax × stride, measured from the cell centre (col·s + (s−1)/2, ...).
 *
 * <p>Exports disagree on output names and order (some even declare wrong static shapes), so the
 * outputs are identified by their runtime shapes: last dimension C or 4·(reg_max+1), and N equal to
 * ceil(W/s)·ceil(H/s) for one of the strides.
 */
final class GflDecoder implements OutputDecoder {
  private final int[] strides;
  private final int bins;
  private final int classes;
  private final int width;
  private final int height;
  private final float[] softmax;
  // Output index of the class and regression tensor per stride, found on the first decode.
  private int[] clsIndex;
  private int[] regIndex;

  GflDecoder(int[] strides, int regMax, int classes, int width, int height) {
    if (regMax < 1) throw new IllegalArgumentException("reg_max must be >= 1: " + regMax);
    this.strides = strides.clone();
    this.bins = regMax + 1;
    this.classes = classes;
    this.width = width;
    this.height = height;
    this.softmax = new float[bins];
    if (classes == 4 * bins) throw new IllegalArgumentException("class count " + classes + " equals the regression width; outputs would be ambiguous");
  }

  @Override
  public void validate(Map<String, long[]> shapes) {
    if (shapes.size() != 2 * strides.length) {
      throw new VisionException("gfl decoder: expects " + 2 * strides.length + " outputs (class + regression for strides "
          + Arrays.toString(strides) + "), model has " + Decoders.describe(shapes));
    }
  }

  private int cells(int s) {
    return ((width + s - 1) / s) * ((height + s - 1) / s);
  }

  private void identify(ModelOutputs out) {
    int[] cls = new int[strides.length];
    int[] reg = new int[strides.length];
    Arrays.fill(cls, -1);
    Arrays.fill(reg, -1);
    for (int i = 0; i < out.count(); i++) {
      long last = out.lastDim(i);
      long n = out.data(i).length / Math.max(1, last);
      for (int k = 0; k < strides.length; k++) {
        if (n != cells(strides[k])) continue;
        if (last == classes) cls[k] = i;
        else if (last == 4L * bins) reg[k] = i;
      }
    }
    for (int k = 0; k < strides.length; k++) {
      if (cls[k] < 0 || reg[k] < 0) {
        throw new VisionException("gfl decoder: no [" + cells(strides[k]) + "," + classes + "] class and [" + cells(strides[k]) + "," + 4 * bins
            + "] regression output for stride " + strides[k] + " (outputs: " + out.describe() + ")");
      }
    }
    clsIndex = cls;
    regIndex = reg;
  }

  @Override
  public void decode(ModelOutputs out, float threshold, Candidates sink) {
    if (clsIndex == null) identify(out);
    for (int k = 0; k < strides.length; k++) {
      int s = strides[k];
      int cols = (width + s - 1) / s;
      float[] cls = out.data(clsIndex[k]);
      float[] reg = out.data(regIndex[k]);
      int n = cls.length / classes;
      if (reg.length != n * 4 * bins) throw new VisionException("gfl decoder: runtime shapes changed (" + out.describe() + ")");
      float half = (s - 1) / 2f;
      for (int i = 0; i < n; i++) {
        int o = i * classes;
        int best = 0;
        float bestScore = cls[o];
        for (int c = 1; c < classes; c++) {
          if (cls[o + c] > bestScore) {
            bestScore = cls[o + c];
            best = c;
          }
        }
        if (bestScore < threshold) continue;
        int row = i / cols;
        int col = i - row * cols;
        float cx = col * s + half;
        float cy = row * s + half;
        int r = i * 4 * bins;
        float left = distance(reg, r) * s;
        float top = distance(reg, r + bins) * s;
        float right = distance(reg, r + 2 * bins) * s;
        float bottom = distance(reg, r + 3 * bins) * s;
        sink.add(cx - left, cy - top, cx + right, cy + bottom, bestScore, best);
      }
    }
  }

  /** Expected bin index under a softmax of {@code bins} logits starting at {@code o}. */
  private float distance(float[] logits, int o) {
    float max = logits[o];
    for (int b = 1; b < bins; b++) max = Math.max(max, logits[o + b]);
    float sum = 0;
    for (int b = 0; b < bins; b++) {
      softmax[b] = (float) Math.exp(logits[o + b] - max);
      sum += softmax[b];
    }
    float expected = 0;
    for (int b = 0; b < bins; b++) expected += b * softmax[b];
    return expected / sum;
  }
}
