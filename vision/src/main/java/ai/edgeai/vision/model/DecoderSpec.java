package ai.edgeai.vision.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which decoder turns the model's outputs into detections or embeddings, with its parameters
 * (e.g. {@code strides}, {@code reg_max}, {@code format}) as parsed from the descriptor.
 */
public record DecoderSpec(String type, Map<String, Object> params) {
  public DecoderSpec {
    Objects.requireNonNull(type, "type");
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  public int intParam(String key, int fallback) {
    Object v = params.get(key);
    if (v == null) return fallback;
    if (v instanceof Number n && n.doubleValue() == n.intValue()) return n.intValue();
    throw new IllegalArgumentException("decoder parameter '" + key + "' must be an integer, got " + v);
  }

  public String stringParam(String key, String fallback) {
    Object v = params.get(key);
    return v == null ? fallback : v.toString();
  }

  public int[] intsParam(String key, int[] fallback) {
    Object v = params.get(key);
    if (v == null) return fallback.clone();
    if (!(v instanceof List<?> list)) throw new IllegalArgumentException("decoder parameter '" + key + "' must be a list of integers");
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) throw new IllegalArgumentException("decoder parameter '" + key + "' must be a list of integers");
      out[i] = n.intValue();
    }
    return out;
  }
}
