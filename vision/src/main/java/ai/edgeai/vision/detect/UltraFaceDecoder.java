package ai.edgeai.vision.detect;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.ModelOutputs;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * UltraFace (Ultra-Light-Fast-Generic-Face-Detector): the graph already decodes its priors, so
 * {@code scores} [1,N,2] holds softmaxed (background, face) and {@code boxes} [1,N,4] corners in
 * 0..1 of the input.
 */
final class UltraFaceDecoder implements OutputDecoder {
  private final String scoresName;
  private final String boxesName;
  private final int width;
  private final int height;

  UltraFaceDecoder(String scoresName, String boxesName, int width, int height) {
    this.scoresName = scoresName;
    this.boxesName = boxesName;
    this.width = width;
    this.height = height;
  }

  @Override
  public void validate(Map<String, long[]> shapes) {
    long[] s = Decoders.requireOutput(shapes, scoresName, "ultraface");
    long[] b = Decoders.requireOutput(shapes, boxesName, "ultraface");
    if (s[s.length - 1] != 2 || b[b.length - 1] != 4) {
      throw new VisionException("ultraface decoder: expects '" + scoresName + "' [1,N,2] and '" + boxesName + "' [1,N,4], model has "
          + Arrays.toString(s) + " and " + Arrays.toString(b));
    }
  }

  @Override
  public void decode(ModelOutputs out, float threshold, Candidates sink) {
    FloatBuffer scores = out.values(scoresName); // read in place, no copy
    FloatBuffer boxes = out.values(boxesName);
    int n = scores.capacity() / 2;
    if (boxes.capacity() != 4 * n) {
      throw new VisionException("ultraface decoder: " + n + " scores but " + boxes.capacity() / 4 + " boxes (" + out.describe() + ")");
    }
    for (int i = 0; i < n; i++) {
      float s = scores.get(2 * i + 1);
      if (s < threshold) continue;
      sink.add(boxes.get(4 * i) * width, boxes.get(4 * i + 1) * height, boxes.get(4 * i + 2) * width, boxes.get(4 * i + 3) * height, s, 0);
    }
  }
}
