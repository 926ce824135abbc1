package ai.edgeai.vision.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Objects;

/**
 * A decoded 8-bit colour image held as interleaved BGR bytes (OpenCV's layout), row stride
 * {@code width * 3}. Pre-processing reads the array directly, so there are no per-pixel calls.
 */
public final class Frame {
  private final int width;
  private final int height;
  private final byte[] bgr;

  public Frame(int width, int height, byte[] bgr) {
    if (width <= 0 || height <= 0) throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
    Objects.requireNonNull(bgr, "bgr");
    if (bgr.length != width * height * 3) {
      throw new IllegalArgumentException("frame of " + width + "x" + height + " needs " + width * height * 3 + " bytes, got " + bgr.length);
    }
    this.width = width;
    this.height = height;
    this.bgr = bgr;
  }

  /** Wraps (TYPE_3BYTE_BGR without copying) or converts any BufferedImage. */
  public static Frame of(BufferedImage image) {
    BufferedImage bgrImage = image;
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
        || !(image.getRaster().getDataBuffer() instanceof DataBufferByte)
        || image.getRaster().getParent() != null) {
      bgrImage = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      var g = bgrImage.createGraphics();
      g.drawImage(image, 0, 0, null);
      g.dispose();
    }
    byte[] data = ((DataBufferByte) bgrImage.getRaster().getDataBuffer()).getData();
    return new Frame(bgrImage.getWidth(), bgrImage.getHeight(), data);
  }

  public int width() { return width; }

  public int height() { return height; }

  /** The pixel bytes B,G,R,B,G,R,... row by row; shared, not copied. */
  public byte[] bgr() { return bgr; }

  /** A TYPE_3BYTE_BGR image sharing this frame's pixels (drawing on it changes the frame). */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(bgr, 0, dst, 0, bgr.length);
    return img;
  }

  /** Resizes (bilinear, via Java2D) to a new frame; used to make benchmark frames, not per inference. */
  public Frame resized(int newWidth, int newHeight) {
    BufferedImage out = new BufferedImage(newWidth, newHeight, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(toBufferedImage(), 0, 0, newWidth, newHeight, null);
    g.dispose();
    return of(out);
  }
}
