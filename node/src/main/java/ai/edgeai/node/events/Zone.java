package ai.edgeai.node.events;

import ai.edgeai.node.config.CameraConfig.ZoneConfig;
import ai.edgeai.vision.BoundingBox;
import java.util.List;

/** A named polygon in relative coordinates; an object is in it when its bottom centre (its feet) is, as in Frigate. */
public record Zone(String name, double[] xs, double[] ys) {

  public static Zone of(ZoneConfig z) {
    List<List<Double>> p = z.polygon();
    double[] xs = new double[p.size()], ys = new double[p.size()];
    for (int i = 0; i < p.size(); i++) {
      xs[i] = p.get(i).get(0);
      ys[i] = p.get(i).get(1);
    }
    return new Zone(z.name(), xs, ys);
  }

  public boolean contains(BoundingBox box, int frameWidth, int frameHeight) {
    return containsPoint(box.centerX() / frameWidth, box.y2() / frameHeight);
  }

  /** Even-odd ray casting; points on the bottom/right edge of the frame count as inside. */
  public boolean containsPoint(double x, double y) {
    boolean inside = false;
    for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
      if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
    }
    if (!inside && y >= 1.0) return containsPoint(x, 1.0 - 1e-9);
    return inside;
  }
}
