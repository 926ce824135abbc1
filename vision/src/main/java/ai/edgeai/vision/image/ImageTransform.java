package ai.edgeai.vision.image;

import ai.edgeai.vision.BoundingBox;

/**
 * Maps model-input pixel coordinates back to the source image: {@code src = (in - offset) / scale},
 * clamped to the image (or to the crop the input was taken from, then shifted by its origin).
 */
public record ImageTransform(
    double scaleX, double scaleY, double offsetX, double offsetY,
    double originX, double originY, double sourceWidth, double sourceHeight) {

  public double toSourceX(double x) {
    return originX + Math.clamp((x - offsetX) / scaleX, 0, sourceWidth);
  }

  public double toSourceY(double y) {
    return originY + Math.clamp((y - offsetY) / scaleY, 0, sourceHeight);
  }

  public BoundingBox toSource(double x1, double y1, double x2, double y2) {
    return new BoundingBox(toSourceX(x1), toSourceY(y1), toSourceX(Math.max(x1, x2)), toSourceY(Math.max(y1, y2)));
  }
}
