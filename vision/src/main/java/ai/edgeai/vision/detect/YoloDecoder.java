package ai.edgeai.vision.detect;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.ModelOutputs;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Ultralytics-style exports with the decode step in the graph, boxes as centre x/y, width, height in
 * input pixels:
 *
 * <ul>
 *   <li>YOLOv5: [1, N, 5+C] rows of (cx, cy, w, h, objectness, class scores); score = obj × class.
 *   <li>YOLOv8/11: [1, 4+C, N] (channel-major, no objectness); score = class.
 * </ul>
 *
 * "auto" matches the dimensions against the label count (5+C: v5, 4+C: v8); without labels it
 * picks v8 when the middle dimension is the smaller one (4+C &lt; N), else v5.
 */
final class YoloDecoder implements OutputDecoder {
  enum Format {
    AUTO, YOLOV5, YOLOV8;

    static Format parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("decoder parameter 'format' must be auto, yolov5 or yolov8, got '" + s + "'");
      }
    }
  }

  private final Format format;
  private final int classes; // 0 = take from the output

  YoloDecoder(Format format, int classes) {
    this.format = format;
    this.classes = classes;
  }

  @Override
  public void validate(Map<String, long[]> shapes) {
    if (shapes.isEmpty()) throw new VisionException("yolo decoder: model has no outputs");
    long[] s = shapes.values().iterator().next();
    if (s.length != 3) {
      throw new VisionException("yolo decoder: first output " + shapes.keySet().iterator().next() + " has shape " + Arrays.toString(s) + ", expected rank 3");
    }
  }

  @Override
  public void decode(ModelOutputs out, float threshold, Candidates sink) {
    long[] shape = out.shape(0);
    if (shape.length != 3) throw new VisionException("yolo decoder: output " + out.describe() + " is not rank 3");
    float[] p = out.data(0);
    int d1 = (int) shape[1];
    int d2 = (int) shape[2];
    Format f = format == Format.AUTO ? guess(d1, d2) : format;
    if (f == Format.YOLOV5) {
      int c = d2 - 5;
      check(c, out);
      for (int i = 0; i < d1; i++) {
        int o = i * d2;
        float obj = p[o + 4];
        if (obj < threshold) continue;
        int best = argmax(p, o + 5, 1, c);
        float score = obj * p[o + 5 + best];
        if (score >= threshold) add(sink, p[o], p[o + 1], p[o + 2], p[o + 3], score, best);
      }
    } else {
      boolean channelMajor = d1 < d2; // [1, 4+C, N]
      int n = channelMajor ? d2 : d1;
      int dim = channelMajor ? d1 : d2;
      int c = dim - 4;
      check(c, out);
      for (int i = 0; i < n; i++) {
        int base = channelMajor ? i : i * dim;
        int step = channelMajor ? n : 1;
        int best = argmax(p, base + 4 * step, step, c);
        float score = p[base + (4 + best) * step];
        if (score < threshold) continue;
        add(sink, p[base], p[base + step], p[base + 2 * step], p[base + 3 * step], score, best);
      }
    }
  }

  /** With known labels the class count decides; otherwise the smaller middle dimension means v8. */
  private Format guess(int d1, int d2) {
    if (classes > 0) {
      if (d2 == classes + 5) return Format.YOLOV5;
      if (d1 == classes + 4 || d2 == classes + 4) return Format.YOLOV8;
    }
    return d1 < d2 ? Format.YOLOV8 : Format.YOLOV5;
  }

  private void check(int c, ModelOutputs out) {
    if (c <= 0 || (classes > 0 && c != classes)) {
      throw new VisionException("yolo decoder: output " + out.describe() + " holds " + c + " classes but the descriptor lists " + classes + " labels");
    }
  }

  private static int argmax(float[] p, int start, int step, int count) {
    int best = 0;
    float v = p[start];
    for (int k = 1; k < count; k++) {
      float x = p[start + k * step];
      if (x > v) {
        v = x;
        best = k;
      }
    }
    return best;
  }

  private static void add(Candidates sink, float cx, float cy, float w, float h, float score, int cls) {
    sink.add(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, cls);
  }
}
