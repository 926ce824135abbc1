package ai.edgeai.node.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * One camera.
 *
 * @param name camera name, used in topics (letters, digits, '_' and '-')
 * @param source a folder of images, a video file, an rtsp/rtmp/http(s)/udp URL, a V4L2 device
 *     ({@code /dev/video0}), an MJPEG-over-HTTP URL (with {@code type: mjpeg}) or {@code testpattern}
 * @param type {@code auto} (default, inferred from {@code source}), {@code images}, {@code ffmpeg},
 *     {@code mjpeg} or {@code testpattern}
 * @param fps frames per second fed to detection (default 5); faster sources are sampled down
 * @param detect detection resolution, frames are scaled to it (default 640x360)
 * @param loop image folders and video files start over at the end (default true)
 * @param detector which detector runs on this camera's frames (default {@code default}: the node's)
 * @param labels labels to track; empty means all
 * @param minScore minimum detection score (default 0.5)
 * @param minScores per-label minimum scores overriding {@code min_score}
 * @param zones named polygons in relative coordinates (0..1 of width and height)
 * @param enabled false keeps the camera in the file but does not start it
 * @param tracker {@code bytetrack} (default), {@code sort} or {@code iou}: how detections become
 *     tracked objects (docs/tracking.md)
 * @param trackerParams the tracker's parameters overriding its preset (keys in docs/configuration.md)
 * @param imageSeconds image folders: how long each image stays in front of the camera (default:
 *     one frame, {@code 1 / fps}); a still image shown for several frames is what lets the
 *     tracker confirm its objects
 */
public record CameraConfig(
    String name,
    String source,
    String type,
    Double fps,
    DetectSize detect,
    Boolean loop,
    String detector,
    List<String> labels,
    Double minScore,
    Map<String, Double> minScores,
    List<ZoneConfig> zones,
    Boolean enabled,
    String tracker,
    Map<String, Object> trackerParams,
    Double imageSeconds) {

  public static final List<String> TRACKERS = List.of("bytetrack", "sort", "iou");

  public static final List<String> TYPES = List.of("auto", "images", "ffmpeg", "mjpeg", "testpattern");

  public CameraConfig {
    if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("camera name '" + name + "': required, letters, digits, '_' and '-' only (it is a topic level)");
    }
    if (source == null || source.isBlank()) throw new IllegalArgumentException("camera '" + name + "': source is required");
    type = type == null ? "auto" : type;
    if (!TYPES.contains(type)) throw new IllegalArgumentException("camera '" + name + "': type '" + type + "' is not one of " + TYPES);
    fps = fps == null ? 5.0 : fps;
    if (!(fps > 0 && fps <= 120)) throw new IllegalArgumentException("camera '" + name + "': fps must be in (0, 120], got " + fps);
    detect = detect == null ? new DetectSize(640, 360) : detect;
    loop = loop == null || loop;
    detector = detector == null ? "default" : detector;
    labels = labels == null ? List.of() : List.copyOf(labels);
    minScore = minScore == null ? 0.5 : minScore;
    if (!(minScore >= 0 && minScore <= 1)) throw new IllegalArgumentException("camera '" + name + "': min_score must be in [0,1], got " + minScore);
    minScores = minScores == null ? Map.of() : Map.copyOf(minScores);
    for (var e : minScores.entrySet()) {
      if (e.getValue() == null || !(e.getValue() >= 0 && e.getValue() <= 1)) {
        throw new IllegalArgumentException("camera '" + name + "': min_scores." + e.getKey() + " must be in [0,1]");
      }
    }
    zones = zones == null ? List.of() : List.copyOf(zones);
    var zoneNames = new HashSet<String>();
    for (ZoneConfig z : zones) {
      if (!zoneNames.add(z.name())) throw new IllegalArgumentException("camera '" + name + "': duplicate zone '" + z.name() + "'");
    }
    enabled = enabled == null || enabled;
    tracker = tracker == null ? "bytetrack" : tracker;
    if (!TRACKERS.contains(tracker)) throw new IllegalArgumentException("camera '" + name + "': tracker '" + tracker + "' is not one of " + TRACKERS);
    trackerParams = trackerParams == null ? Map.of() : Map.copyOf(trackerParams);
    try {
      ai.edgeai.node.pipeline.Trackers.create(tracker, trackerParams, fps); // checks the parameters now, not at start
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("camera '" + name + "': " + e.getMessage(), e);
    }
    if (imageSeconds != null && !(imageSeconds > 0)) {
      throw new IllegalArgumentException("camera '" + name + "': image_seconds must be > 0, got " + imageSeconds);
    }
  }

  /** The configuration with another source and type (the demo's fallbacks); everything else kept. */
  public CameraConfig withSource(String source, String type) {
    return new CameraConfig(name, source, type, fps, detect, loop, detector, labels, minScore, minScores, zones, enabled,
        tracker, trackerParams, imageSeconds);
  }

  /** The score a detection of {@code label} needs to count. */
  public double minScoreFor(String label) {
    return minScores.getOrDefault(label, minScore);
  }

  /** Whether detections of {@code label} are tracked on this camera. */
  public boolean tracks(String label) {
    return labels.isEmpty() || labels.contains(label);
  }

  /** Detection resolution in pixels. */
  public record DetectSize(Integer width, Integer height) {
    public DetectSize {
      if (width == null || height == null || width < 16 || height < 16 || width > 8192 || height > 8192) {
        throw new IllegalArgumentException("detect: width and height are required, 16..8192, got " + width + "x" + height);
      }
    }
  }

  /** A named zone: a polygon of at least 3 points, each {@code [x, y]} relative to the frame (0..1). */
  public record ZoneConfig(String name, List<List<Double>> polygon) {
    public ZoneConfig {
      if (name == null || !name.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("zone name '" + name + "': letters, digits, '_' and '-' only");
      if (polygon == null || polygon.size() < 3) throw new IllegalArgumentException("zone '" + name + "': polygon needs at least 3 points");
      for (List<Double> p : polygon) {
        if (p == null || p.size() != 2 || p.get(0) == null || p.get(1) == null
            || p.get(0) < 0 || p.get(0) > 1 || p.get(1) < 0 || p.get(1) > 1) {
          throw new IllegalArgumentException("zone '" + name + "': every point is [x, y] with 0 <= x, y <= 1, got " + p);
        }
      }
      polygon = polygon.stream().map(List::copyOf).toList();
    }
  }
}
