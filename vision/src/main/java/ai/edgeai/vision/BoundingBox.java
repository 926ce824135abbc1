package ai.edgeai.vision;

/**
 * An axis-aligned box in pixel coordinates of some image, corners (x1, y1) top-left and (x2, y2)
 * bottom-right, as in Frigate's {@code box} and MOTChallenge after conversion from x,y,w,h.
 */
public record BoundingBox(double x1, double y1, double x2, double y2) {

  public BoundingBox {
    if (!(Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2))) {
      throw new IllegalArgumentException("box coordinates must be finite: " + x1 + "," + y1 + "," + x2 + "," + y2);
    }
    if (x2 < x1 || y2 < y1) {
      throw new IllegalArgumentException("box corners out of order: (" + x1 + "," + y1 + ") (" + x2 + "," + y2 + ")");
    }
  }

  /** Builds a box from MOTChallenge's left, top, width, height. */
  public static BoundingBox ofXywh(double left, double top, double width, double height) {
    return new BoundingBox(left, top, left + width, top + height);
  }

  public double width() { return x2 - x1; }

  public double height() { return y2 - y1; }

  public double area() { return width() * height(); }

  public double centerX() { return (x1 + x2) / 2; }

  public double centerY() { return (y1 + y2) / 2; }

  /** Intersection over union; 0 when either box has no area. */
  public double iou(BoundingBox o) {
    double iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
    double ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
    if (iw <= 0 || ih <= 0) return 0;
    double inter = iw * ih;
    double union = area() + o.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
