package ai.edgeai.vision.detect;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.ModelOutputs;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * YOLOX exported without its decode step: one output [1,N,5+C] over the stride-8/16/32 grids in
 * order, each row (x, y, log w, log h, objectness, class scores...), objectness and classes already
 * sigmoided. Box centre = (p + grid)·s, size = exp(p)·s; score = objectness × best class.
 */
final class YoloxDecoder implements OutputDecoder {
  private final int[] strides;
  private final int width;
  private final int height;
  private final int anchors;

  YoloxDecoder(int[] strides, int width, int height) {
    this.strides = strides.clone();
    this.width = width;
    this.height = height;
    int n = 0;
    for (int s : strides) n += (width / s) * (height / s);
    this.anchors = n;
  }

  @Override
  public void validate(Map<String, long[]> shapes) {
    if (shapes.size() != 1) throw new VisionException("yolox decoder: expects one output [1," + anchors + ",5+C], model has " + Decoders.describe(shapes));
    long[] s = shapes.values().iterator().next();
    if (s.length != 3 || (s[1] >= 0 && s[1] != anchors) || (s[2] >= 0 && s[2] < 6)) {
      throw new VisionException("yolox decoder: output " + shapes.keySet().iterator().next() + " has shape " + Arrays.toString(s)
          + ", expected [1," + anchors + ",5+C] for a " + width + "x" + height + " input");
    }
  }

  @Override
  public void decode(ModelOutputs out, float threshold, Candidates sink) {
    FloatBuffer p = out.values(0); // read in place: the output is 1.2 MB at 416x416, mostly skipped
    int dim = (int) out.lastDim(0);
    if (p.capacity() != anchors * dim) throw new VisionException("yolox decoder: output " + out.describe() + " does not hold " + anchors + " anchors");
    int a = 0;
    for (int s : strides) {
      int cols = width / s;
      int rows = height / s;
      for (int row = 0; row < rows; row++) {
        for (int col = 0; col < cols; col++, a++) {
          int o = a * dim;
          float obj = p.get(o + 4);
          if (obj < threshold) continue; // score = obj·cls ≤ obj
          int best = 0;
          float bestScore = p.get(o + 5);
          for (int c = 1; c < dim - 5; c++) {
            if (p.get(o + 5 + c) > bestScore) {
              bestScore = p.get(o + 5 + c);
              best = c;
            }
          }
          float score = obj * bestScore;
          if (score < threshold) continue;
          float cx = (p.get(o) + col) * s;
          float cy = (p.get(o + 1) + row) * s;
          float w = (float) Math.exp(p.get(o + 2)) * s;
          float h = (float) Math.exp(p.get(o + 3)) * s;
          sink.add(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, best);
        }
      }
    }
  }
}
