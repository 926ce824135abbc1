package ai.edgeai.vision.tracking.metrics;

import java.util.Locale;

/**
 * Which MOTChallenge preprocessing applies. MOT15 keeps every ground-truth box whose flag is not 0.
 * MOT16/17 (as TrackEval and the official devkit) first removes tracker boxes matched (IoU ≥ 0.5,
 * optimal assignment) to ground truth of a distractor class (2 person on vehicle, 7 static person,
 * 8 distractor, 12 reflection), then keeps only pedestrian (class 1) ground truth with flag ≠ 0.
 */
public enum MotBenchmark {
  MOT15,
  MOT17;

  public static MotBenchmark parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "mot15", "2d_mot_2015" -> MOT15;
      case "mot16", "mot17" -> MOT17;
      default -> throw new IllegalArgumentException("unknown benchmark '" + s + "' (expected mot15 or mot17)");
    };
  }
}
