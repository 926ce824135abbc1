package ai.edgeai.vision.detect;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.ModelOutputs;
import java.util.Map;

/**
 * YuNet (libfacedetection): per stride s, {@code cls_s}, {@code obj_s} [1,N,1], {@code bbox_s}
 * [1,N,4] and {@code kps_s} [1,N,10] over the (W/s)×(H/s) grid, row-major. Landmarks come in
 * ArcFace order: right eye, left eye, nose, right and left mouth corner (the subject's sides).
 */
final class YuNetDecoder implements OutputDecoder {
  private final int[] strides;
  private final int width;
  private final int height;

  YuNetDecoder(int[] strides, int width, int height) {
    this.strides = strides.clone();
    this.width = width;
    this.height = height;
    for (int s : strides) {
      if (width % s != 0 || height % s != 0) throw new IllegalArgumentException("yunet input " + width + "x" + height + " must be a multiple of stride " + s);
    }
  }

  @Override
  public int landmarkCount() { return 5; }

  @Override
  public void validate(Map<String, long[]> shapes) {
    for (int s : strides) {
      for (String prefix : new String[] {"cls_", "obj_", "bbox_", "kps_"}) Decoders.requireOutput(shapes, prefix + s, "yunet");
    }
  }

  @Override
  public void decode(ModelOutputs out, float threshold, Candidates sink) {
    for (int s : strides) {
      float[] cls = out.data("cls_" + s);
      float[] obj = out.data("obj_" + s);
      float[] bbox = out.data("bbox_" + s);
      float[] kps = out.data("kps_" + s);
      int cols = width / s;
      int n = cols * (height / s);
      if (cls.length != n || obj.length != n || bbox.length != 4 * n || kps.length != 10 * n) {
        throw new VisionException("yunet decoder: stride " + s + " outputs do not cover a " + cols + "x" + height / s + " grid (" + out.describe() + ")");
      }
      for (int i = 0; i < n; i++) {
        float score = (float) Math.sqrt(Math.clamp(cls[i], 0f, 1f) * Math.clamp(obj[i], 0f, 1f));
        if (score < threshold) continue;
        int row = i / cols;
        int col = i - row * cols;
        float cx = (col + bbox[4 * i]) * s;
        float cy = (row + bbox[4 * i + 1]) * s;
        float w = (float) Math.exp(bbox[4 * i + 2]) * s;
        float h = (float) Math.exp(bbox[4 * i + 3]) * s;
        int c = sink.add(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, 0);
        float[] lm = sink.landmarks();
        int o = sink.landmarkOffset(c);
        for (int k = 0; k < 5; k++) {
          lm[o + 2 * k] = (col + kps[10 * i + 2 * k]) * s;
          lm[o + 2 * k + 1] = (row + kps[10 * i + 2 * k + 1]) * s;
        }
      }
    }
  }
}
