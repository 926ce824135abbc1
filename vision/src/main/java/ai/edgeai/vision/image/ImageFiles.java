package ai.edgeai.vision.image;

import ai.edgeai.vision.VisionException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes JPEG and PNG files with ImageIO, turning its silent partial decodes into errors. */
public final class ImageFiles {
  private ImageFiles() {}

  /** True for the file names {@link #read} is meant for (by extension). */
  public static boolean isImageFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }

  /**
   * Reads an image file.
   *
   * @throws VisionException naming the file when it is missing, not an image, corrupt or truncated
   */
  public static Frame read(Path file) {
    if (!Files.isRegularFile(file)) throw new VisionException("image not found: " + file);
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) throw new VisionException("cannot open image: " + file);
      var readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) throw new VisionException("not a JPEG or PNG image: " + file);
      ImageReader reader = readers.next();
      // ImageIO reports a truncated JPEG only as a warning and returns a half-grey picture.
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new VisionException("corrupt or truncated image " + file + ": " + warnings.getFirst());
        }
        return Frame.of(image);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof VisionException ve) throw ve;
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new VisionException("corrupt or truncated image " + file + ": " + why, e);
    }
  }
}
