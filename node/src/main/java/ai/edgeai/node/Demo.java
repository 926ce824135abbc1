package ai.edgeai.node;

import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.config.MqttConfig;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.config.OutboxConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration of {@code edgeai demo}: the embedded broker and up to four cameras on bundled,
 * redistributable media:
 *
 * <ul>
 *   <li>{@code synthetic}: the test pattern (coloured boxes found by colour, not by a model) — the
 *       events that show up within seconds;
 *   <li>{@code photos}: the public-domain portraits, each held 3 s, through the face detector;
 *   <li>{@code people}: the same portraits through the object detector (people count as objects);
 *   <li>{@code video}: an excerpt of Big Buck Bunny (CC-BY 3.0) through ffmpeg and the object
 *       detector — only when ffmpeg is installed (or the video given instead).
 * </ul>
 */
public final class Demo {

  static final String[] PHOTOS = {"fr_biden.jpg", "fr_biden2.jpg", "fr_obama.jpg", "fr_obama2.jpg", "fr_two_people.jpg"};
  static final String VIDEO = "big_buck_bunny_15s-23s.mp4";

  /**
   * @param faces detector of the {@code photos} camera (e.g. ultraface-320)
   * @param objects detector of the {@code people} and {@code video} cameras (e.g. yolox-nano)
   */
  public record Detectors(String faces, String objects) {}

  private Demo() {}

  /**
   * @param work folder for the extracted media and the outbox
   * @param video a video file for the {@code video} camera instead of the bundled excerpt, or null
   * @param withVideo whether to add the {@code video} camera (it needs ffmpeg)
   */
  public static NodeConfig config(Path work, Path video, boolean withVideo, Detectors detectors) throws IOException {
    Path photos = work.resolve("photos");
    Files.createDirectories(photos);
    for (String name : PHOTOS) extract("demo/photos/" + name, photos.resolve(name));
    List<CameraConfig> cams = new ArrayList<>();
    cams.add(new CameraConfig("synthetic", "testpattern:objects=3,period=9", null, 5.0, null, true, "testpattern",
        null, 0.5, null, List.of(new CameraConfig.ZoneConfig("right_half", List.of(List.of(0.5, 0.0), List.of(1.0, 0.0),
            List.of(1.0, 1.0), List.of(0.5, 1.0)))), true, null, null, null));
    // Each portrait is a still scene for 3 s (6 frames): enough for the tracker to confirm what it
    // sees and, when the next portrait comes, to end it (lost tracks wait 1 s here, not 5).
    Map<String, Object> stills = Map.of("max_age", 2);
    cams.add(new CameraConfig("photos", photos.toString(), "images", 2.0, new CameraConfig.DetectSize(640, 480), true,
        detectors.faces(), List.of("face"), 0.6, null, null, true, null, stills, 3.0));
    cams.add(new CameraConfig("people", photos.toString(), "images", 2.0, new CameraConfig.DetectSize(640, 480), true,
        detectors.objects(), null, 0.5, null, null, true, null, stills, 3.0));
    if (withVideo) {
      Path file = video;
      if (file == null) {
        file = work.resolve("video").resolve(VIDEO);
        Files.createDirectories(file.getParent());
        extract("demo/video/" + VIDEO, file);
      }
      cams.add(new CameraConfig("video", file.toString(), "ffmpeg", 4.0, null, true, detectors.objects(), null, 0.5,
          null, null, true, null, null, null));
    }
    int port = freePort(1883);
    int ws = freePort(8083);
    MqttConfig mqtt = new MqttConfig(true, null, null, null, null, null, null, null, null, "edgeai", null, null, null, null,
        null, new MqttConfig.Embedded("127.0.0.1", port, ws));
    OutboxConfig outbox = new OutboxConfig(work.resolve("outbox").toString(), 16, null, null, null, null, null);
    return new NodeConfig(new NodeConfig.NodeSection("demo", 1, 5), cams, mqtt, outbox, null, null);
  }

  private static void extract(String resource, Path to) throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream(resource)) {
      if (in == null) throw new IOException("demo media " + resource + " is missing from the jar");
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** {@code preferred} when it is free, else any free port. */
  static int freePort(int preferred) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress("127.0.0.1", preferred));
      return preferred;
    } catch (IOException taken) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
  }
}
