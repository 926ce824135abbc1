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

/** The configuration of {@code edgeai demo}: embedded broker, a synthetic camera, the bundled photos, optionally a video. */
public final class Demo {

  static final String[] PHOTOS = {"fr_biden.jpg", "fr_biden2.jpg", "fr_obama.jpg", "fr_obama2.jpg", "fr_two_people.jpg"};

  private Demo() {}

  /**
   * @param work folder for the extracted photos and the outbox
   * @param video a video file for a third camera (needs ffmpeg), or null
   * @param photoDetector detector name for the photo/video cameras ("none" until a model is wired)
   */
  public static NodeConfig config(Path work, Path video, String photoDetector) throws IOException {
    Path photos = work.resolve("photos");
    Files.createDirectories(photos);
    for (String name : PHOTOS) {
      try (InputStream in = Demo.class.getResourceAsStream("demo/photos/" + name)) {
        if (in == null) throw new IOException("demo photo " + name + " is missing from the jar");
        Files.copy(in, photos.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<CameraConfig> cams = new ArrayList<>();
    cams.add(new CameraConfig("synthetic", "testpattern:objects=3,period=9", null, 5.0, null, true, "testpattern",
        null, 0.5, null, List.of(new CameraConfig.ZoneConfig("right_half", List.of(List.of(0.5, 0.0), List.of(1.0, 0.0),
            List.of(1.0, 1.0), List.of(0.5, 1.0)))), true, null, null, null));
    cams.add(new CameraConfig("photos", photos.toString(), "images", 0.5, new CameraConfig.DetectSize(640, 480), true,
        photoDetector, null, 0.5, null, null, true, null, null, null));
    if (video != null) {
      cams.add(new CameraConfig("video", video.toString(), "ffmpeg", 5.0, null, true, photoDetector, null, 0.5, null, null, true, null, null, null));
    }
    int port = freePort(1883);
    int ws = freePort(8083);
    MqttConfig mqtt = new MqttConfig(true, null, null, null, null, null, null, null, null, "edgeai", null, null, null, null,
        null, new MqttConfig.Embedded("127.0.0.1", port, ws));
    OutboxConfig outbox = new OutboxConfig(work.resolve("outbox").toString(), 16, null, null, null, null, null);
    return new NodeConfig(new NodeConfig.NodeSection("demo", 1, 5), cams, mqtt, outbox, null, null);
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
