package ai.edgeai.vision.tracking.mot;

import ai.edgeai.vision.BoundingBox;

/**
 * One line of a MOTChallenge file: {@code frame, id, left, top, width, height, conf, class, visibility}.
 * Ground truth uses conf as the "consider" flag (0 = ignore) and class/visibility from MOT16 on;
 * detections have id −1; missing trailing columns read as conf 1, class −1, visibility −1.
 *
 * @param line 1-based line number in the file it was read from (0 when built in memory)
 */
public record MotRecord(
    int frame, int id, double left, double top, double width, double height,
    double conf, int classId, double visibility, int line) {

  public MotRecord {
    if (frame < 1) throw new IllegalArgumentException("frame must be ≥ 1: " + frame);
    if (!(Double.isFinite(left) && Double.isFinite(top) && Double.isFinite(width) && Double.isFinite(height))) {
      throw new IllegalArgumentException("box must be finite");
    }
    if (width < 0 || height < 0) throw new IllegalArgumentException("negative width or height: " + width + "x" + height);
  }

  public BoundingBox box() {
    return BoundingBox.ofXywh(left, top, width, height);
  }

  /** A tracker-output line for a box. */
  public static MotRecord ofTrack(int frame, int id, BoundingBox b, double conf) {
    return new MotRecord(frame, id, b.x1(), b.y1(), b.width(), b.height(), conf, -1, -1, 0);
  }
}
