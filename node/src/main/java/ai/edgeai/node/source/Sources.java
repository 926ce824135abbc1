package ai.edgeai.node.source;

import ai.edgeai.node.config.CameraConfig;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Creates the source of a camera and checks, before anything starts, that it can possibly work. */
public final class Sources {

  private static final Set<String> FFMPEG_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "tcp", "srt", "file");

  private Sources() {}

  /** The source type {@code auto} resolves to. */
  public static String resolveType(CameraConfig c) {
    if (!c.type().equals("auto")) return c.type();
    String s = c.source();
    if (s.equals("testpattern") || s.startsWith("testpattern:")) return "testpattern";
    if (!s.contains("://") && Files.isDirectory(Path.of(s))) return "images";
    return "ffmpeg";
  }

  /**
   * Opens the camera's source.
   *
   * @throws IllegalArgumentException naming the camera and what is wrong with its source
   */
  public static FrameSource open(CameraConfig c) {
    String type = resolveType(c);
    return switch (type) {
      case "testpattern" -> new TestPatternSource(c);
      case "images" -> new ImageFolderSource(c);
      case "mjpeg" -> {
        checkUrl(c, Set.of("http", "https"));
        yield new MjpegHttpSource(c);
      }
      case "ffmpeg" -> {
        checkFfmpegInput(c);
        yield new FfmpegSource(c, ffmpegOrFail(c));
      }
      default -> throw new IllegalArgumentException("camera '" + c.name() + "': unknown type " + type);
    };
  }

  private static void checkFfmpegInput(CameraConfig c) {
    String s = c.source();
    if (s.startsWith("/dev/")) {
      if (!Files.exists(Path.of(s))) throw new IllegalArgumentException("camera '" + c.name() + "': device '" + s + "' does not exist");
      return;
    }
    if (s.contains("://")) {
      checkUrl(c, FFMPEG_SCHEMES);
      return;
    }
    Path p = Path.of(s);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("camera '" + c.name() + "': source '" + s
          + "' is neither a file, a folder of images, a URL (rtsp://, http://...) nor testpattern");
    }
  }

  private static void checkUrl(CameraConfig c, Set<String> schemes) {
    URI u;
    try {
      u = new URI(c.source());
    } catch (Exception e) {
      throw new IllegalArgumentException("camera '" + c.name() + "': source '" + c.source() + "' is not a valid URL: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!schemes.contains(scheme)) {
      throw new IllegalArgumentException("camera '" + c.name() + "': source '" + c.source() + "': unsupported scheme '" + scheme
          + "' for type " + resolveType(c) + " (use one of " + schemes.stream().sorted().toList() + ")");
    }
    if (!scheme.equals("file") && (u.getHost() == null || u.getHost().isBlank())) {
      throw new IllegalArgumentException("camera '" + c.name() + "': source '" + c.source() + "' has no host name");
    }
  }

  private static String ffmpegOrFail(CameraConfig c) {
    String found = findFfmpeg();
    if (found == null) {
      throw new IllegalArgumentException("camera '" + c.name() + "': source '" + c.source()
          + "' needs ffmpeg, which is not installed (apt-get install --no-install-recommends ffmpeg)");
    }
    return found;
  }

  /** The ffmpeg executable on the PATH, or null. */
  public static String findFfmpeg() {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d, "ffmpeg");
      if (Files.isExecutable(p)) return p.toString();
    }
    return null;
  }
}
