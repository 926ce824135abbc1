package ai.edgeai.vision.model;

/**
 * Post-processing defaults of a detection model.
 *
 * @param score minimum confidence kept
 * @param nms IoU above which a lower-scored box is suppressed
 * @param classAgnostic suppress across classes (true) or only within one class (false)
 * @param maxDetections cap on detections per image after NMS
 */
public record Thresholds(double score, double nms, boolean classAgnostic, int maxDetections) {
  public Thresholds {
    if (!(score >= 0 && score <= 1)) throw new IllegalArgumentException("score threshold must be in [0,1]: " + score);
    if (!(nms > 0 && nms <= 1)) throw new IllegalArgumentException("nms threshold must be in (0,1]: " + nms);
    if (maxDetections <= 0) throw new IllegalArgumentException("max_detections must be > 0: " + maxDetections);
  }

  public Thresholds withScore(double s) {
    return new Thresholds(s, nms, classAgnostic, maxDetections);
  }
}
