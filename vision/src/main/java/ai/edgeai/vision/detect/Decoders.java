package ai.edgeai.vision.detect;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.DecoderSpec;
import ai.edgeai.vision.model.ModelDescriptor;
import java.util.Arrays;
import java.util.Map;

/** Creates the decoder a descriptor names. */
public final class Decoders {
  private Decoders() {}

  /** Decoder type names accepted in a descriptor's {@code decoder.type}. */
  public static final java.util.List<String> TYPES = java.util.List.of("ultraface", "yunet", "yolox", "gfl", "nanodet", "picodet", "yolo");

  public static OutputDecoder create(ModelDescriptor d) {
    DecoderSpec s = d.decoder();
    int w = d.input().preprocess().width();
    int h = d.input().preprocess().height();
    int classes = d.labels().size();
    try {
      return switch (s.type()) {
        case "ultraface" -> new UltraFaceDecoder(s.stringParam("scores_output", "scores"), s.stringParam("boxes_output", "boxes"), w, h);
        case "yunet" -> new YuNetDecoder(s.intsParam("strides", new int[] {8, 16, 32}), w, h);
        case "yolox" -> new YoloxDecoder(s.intsParam("strides", new int[] {8, 16, 32}), w, h);
        case "gfl", "nanodet", "picodet" -> new GflDecoder(s.intsParam("strides", new int[] {8, 16, 32}), s.intParam("reg_max", 7), requireClasses(classes, d), w, h);
        case "yolo" -> new YoloDecoder(YoloDecoder.Format.parse(s.stringParam("format", "auto")), classes);
        default -> throw new VisionException("descriptor " + d.source() + ": unknown decoder type '" + s.type() + "' (known: " + String.join(", ", TYPES) + ")");
      };
    } catch (IllegalArgumentException e) {
      throw new VisionException("descriptor " + d.source() + ": " + e.getMessage());
    }
  }

  private static int requireClasses(int classes, ModelDescriptor d) {
    if (classes == 0) throw new VisionException("descriptor " + d.source() + ": decoder '" + d.decoder().type() + "' needs 'labels' to know the class count");
    return classes;
  }

  static long[] requireOutput(Map<String, long[]> shapes, String name, String decoder) {
    long[] s = shapes.get(name);
    if (s == null) throw new VisionException(decoder + " decoder: model has no output '" + name + "' (outputs: " + describe(shapes) + ")");
    return s;
  }

  static String describe(Map<String, long[]> shapes) {
    StringBuilder sb = new StringBuilder();
    shapes.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(Arrays.toString(v)));
    return sb.toString();
  }

  static long rows(long[] shape) {
    long n = 1;
    for (int i = 0; i < shape.length - 1; i++) n *= shape[i];
    return n;
  }
}
