package ai.edgeai.node.source;

import ai.edgeai.node.config.CameraConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of JPEG/PNG/BMP images played in name order at the camera's fps, each for
 * {@code image_seconds} (default one frame), looping when configured.
 */
public final class ImageFolderSource extends RestartingSource {

  private final List<Path> files;
  private final List<BufferedImage> decoded = new ArrayList<>();

  public ImageFolderSource(CameraConfig camera) {
    super(camera);
    this.files = list(camera);
  }

  static List<Path> list(CameraConfig camera) {
    Path dir = Path.of(camera.source());
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("camera '" + camera.name() + "': source '" + dir + "' is not a folder");
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> images = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|bmp)"))
          .sorted().toList();
      if (images.isEmpty()) throw new IllegalArgumentException("camera '" + camera.name() + "': folder '" + dir + "' has no .jpg, .png or .bmp images");
      return images;
    } catch (IOException e) {
      throw new IllegalArgumentException("camera '" + camera.name() + "': cannot list folder '" + dir + "': " + e.getMessage(), e);
    }
  }

  @Override
  protected String runOnce() throws Exception {
    if (decoded.isEmpty()) {
      int w = camera.detect().width(), h = camera.detect().height();
      for (Path p : files) {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) throw new IOException("'" + p + "' is not a readable image");
        // Scaled once: the loop then costs no decoding.
        decoded.add(Frame.of(camera.name(), 0, 0, img, w, h).toImage());
      }
    }
    long intervalNanos = (long) (1e9 / camera.fps());
    // A still image held for image_seconds is several frames of a static scene.
    int framesPerImage = camera.imageSeconds() == null ? 1 : (int) Math.max(1, Math.round(camera.imageSeconds() * camera.fps()));
    long next = System.nanoTime();
    do {
      for (BufferedImage img : decoded) {
        for (int k = 0; k < framesPerImage; k++) {
          if (!running) return null;
          long wait = next - System.nanoTime();
          if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          next += intervalNanos;
          dueNow();
          deliver(Frame.of(camera.name(), nextIndex(), now(), img, img.getWidth(), img.getHeight()));
        }
      }
    } while (camera.loop() && running);
    return null;
  }
}
