package ai.edgeai.node.pipeline;

import ai.edgeai.vision.tracking.KalmanTracker;
import ai.edgeai.vision.tracking.Tracker;
import ai.edgeai.vision.tracking.TrackerConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a camera's tracker from its {@code tracker} / {@code tracker_params} keys: the tracking
 * module's ByteTrack (default) or SORT ({@link KalmanTracker}), or the node's greedy
 * {@link IouTracker}.
 *
 * <p>The presets count ages in frames; a camera runs at its own fps, so unless {@code max_age} is
 * given, a lost track is kept {@value #LOST_SECONDS} s worth of frames (as Frigate's
 * {@code max_disappeared}) before its object ends.
 */
public final class Trackers {

  /** How long a lost track waits for its object by default, in seconds of the camera's fps. */
  public static final double LOST_SECONDS = 5;

  private Trackers() {}

  /**
   * @param kind {@code bytetrack}, {@code sort} or {@code iou}
   * @param params parameters in snake_case (e.g. {@code max_age}, {@code high_score}); values
   *     are numbers or booleans
   * @param fps the camera's frame rate
   * @throws IllegalArgumentException naming the unknown tracker or the parameter at fault
   */
  public static Tracker create(String kind, Map<String, Object> params, double fps) {
    Map<String, String> camel = new HashMap<>();
    params.forEach((k, v) -> {
      if (!(v instanceof Number || v instanceof Boolean || v instanceof String)) {
        throw new IllegalArgumentException("tracker_params." + k + ": expected a number or true/false, got " + v);
      }
      camel.put(camelCase(k), String.valueOf(v));
    });
    return switch (kind) {
      case "bytetrack", "sort" -> new KalmanTracker(config(kind, camel, fps));
      case "iou" -> iou(camel, fps);
      default -> throw new IllegalArgumentException("unknown tracker '" + kind + "' (expected bytetrack, sort or iou)");
    };
  }

  /** The Kalman tracker's parameters: the preset, a fps-scaled {@code max_age}, then the user's. */
  static TrackerConfig config(String kind, Map<String, String> camel, double fps) {
    TrackerConfig preset = TrackerConfig.preset(kind);
    Map<String, String> p = new HashMap<>(camel);
    if (kind.equals("bytetrack")) p.putIfAbsent("maxAge", String.valueOf(Math.max(1, Math.round(LOST_SECONDS * fps))));
    try {
      return preset.with(p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tracker_params: " + snakeCaseIn(e.getMessage()), e);
    }
  }

  private static Tracker iou(Map<String, String> camel, double fps) {
    double iou = 0.3, maxAgeSeconds = Math.max(1.0, 3 / fps);
    int minHits = 2;
    for (var e : camel.entrySet()) {
      try {
        switch (e.getKey()) {
          case "iouThreshold" -> iou = Double.parseDouble(e.getValue());
          case "minHits" -> minHits = Integer.parseInt(e.getValue());
          case "maxAgeSeconds" -> maxAgeSeconds = Double.parseDouble(e.getValue());
          default -> throw new IllegalArgumentException("tracker_params: unknown parameter '" + snakeCase(e.getKey())
              + "' for the iou tracker (known: iou_threshold, min_hits, max_age_seconds)");
        }
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("tracker_params." + snakeCase(e.getKey()) + ": not a number: " + e.getValue());
      }
    }
    try {
      return new IouTracker(iou, minHits, maxAgeSeconds);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tracker_params: " + e.getMessage(), e);
    }
  }

  static String camelCase(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** TrackerConfig names its parameters in camelCase; the configuration file spells them in snake_case. */
  private static String snakeCaseIn(String message) {
    var m = java.util.regex.Pattern.compile("\\b([a-z]+[A-Z][A-Za-z]*)\\b").matcher(message);
    StringBuilder sb = new StringBuilder();
    while (m.find()) m.appendReplacement(sb, snakeCase(m.group(1)));
    m.appendTail(sb);
    return sb.toString();
  }
}
