package ai.edgeai.vision.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.VisionTestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path tmp;

  @Test
  void decodesJpegWithItsSize() {
    Frame f = ImageFiles.read(VisionTestData.imagePath("zidane.jpg"));
    assertEquals(1280, f.width());
    assertEquals(720, f.height());
  }

  @Test
  void decodesPngAndKeepsColours() throws Exception {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, 0x102030);
    Path p = tmp.resolve("x.png");
    ImageIO.write(img, "png", p.toFile());
    Frame f = ImageFiles.read(p);
    int o = (1 * 3 + 1) * 3;
    assertEquals(0x30, f.bgr()[o] & 0xFF);
    assertEquals(0x20, f.bgr()[o + 1] & 0xFF);
    assertEquals(0x10, f.bgr()[o + 2] & 0xFF);
  }

  @Test
  void truncatedJpegIsAnErrorNamingTheFile() throws Exception {
    byte[] all = Files.readAllBytes(VisionTestData.imagePath("bus.jpg"));
    Path p = tmp.resolve("cut.jpg");
    Files.write(p, Arrays.copyOf(all, all.length / 2));
    VisionException e = assertThrows(VisionException.class, () -> ImageFiles.read(p));
    assertTrue(e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void truncatedPngIsAnError() throws Exception {
    BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 200; i++) img.setRGB(i, i, 0xFFFFFF * (i % 7));
    Path full = tmp.resolve("full.png");
    ImageIO.write(img, "png", full.toFile());
    byte[] all = Files.readAllBytes(full);
    Path p = tmp.resolve("cut.png");
    Files.write(p, Arrays.copyOf(all, all.length - 40));
    VisionException e = assertThrows(VisionException.class, () -> ImageFiles.read(p));
    assertTrue(e.getMessage().contains("cut.png"), e.getMessage());
  }

  @Test
  void garbageAndMissingFilesAreErrors() throws Exception {
    Path p = tmp.resolve("bad.jpg");
    Files.writeString(p, "this is not an image");
    VisionException e = assertThrows(VisionException.class, () -> ImageFiles.read(p));
    assertEquals("not a JPEG or PNG image: " + p, e.getMessage());
    VisionException m = assertThrows(VisionException.class, () -> ImageFiles.read(tmp.resolve("nope.jpg")));
    assertTrue(m.getMessage().startsWith("image not found: "), m.getMessage());
  }

  @Test
  void corruptJpegBodyIsAnError() throws Exception {
    byte[] all = Files.readAllBytes(VisionTestData.imagePath("zidane.jpg"));
    // keep the headers, scramble the entropy-coded data with marker bytes
    for (int i = all.length / 3; i < all.length - 2; i += 97) {
      all[i] = (byte) 0xFF;
      all[i + 1] = (byte) 0xD9;
    }
    Path p = tmp.resolve("corrupt.jpg");
    Files.write(p, all);
    VisionException e = assertThrows(VisionException.class, () -> ImageFiles.read(p));
    assertTrue(e.getMessage().contains("corrupt.jpg"), e.getMessage());
  }
}
