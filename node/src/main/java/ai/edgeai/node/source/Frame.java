package ai.edgeai.node.source;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Objects;

/**
 * One decoded frame at the camera's detection resolution.
 *
 * @param camera camera name
 * @param index frame number since the source started
 * @param time capture time, seconds since the epoch (Frigate's {@code frame_time})
 * @param width pixels
 * @param height pixels
 * @param rgb packed RGB, 3 bytes per pixel, row-major
 */
public record Frame(String camera, long index, double time, int width, int height, byte[] rgb) {
  public Frame {
    Objects.requireNonNull(camera, "camera");
    if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
      throw new IllegalArgumentException("frame of camera '" + camera + "': " + rgb.length + " bytes is not " + width + "x" + height + "x3");
    }
  }

  /** Converts an image (any type) to a frame of the given size, scaling it when needed. */
  public static Frame of(String camera, long index, double time, BufferedImage img, int width, int height) {
    BufferedImage bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    var g = bgr.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, width, height, null);
    g.dispose();
    byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    byte[] rgb = new byte[data.length];
    for (int i = 0; i < data.length; i += 3) {
      rgb[i] = data[i + 2];
      rgb[i + 1] = data[i + 1];
      rgb[i + 2] = data[i];
    }
    return new Frame(camera, index, time, width, height, rgb);
  }

  /** The frame as an image (a copy), e.g. to encode a snapshot. */
  public BufferedImage toImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < data.length; i += 3) {
      data[i] = rgb[i + 2];
      data[i + 1] = rgb[i + 1];
      data[i + 2] = rgb[i];
    }
    return img;
  }
}
