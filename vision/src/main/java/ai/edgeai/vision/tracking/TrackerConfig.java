package ai.edgeai.vision.tracking;

import java.util.Locale;
import java.util.Map;

/**
 * Parameters of {@link KalmanTracker}; see docs/tracking.md for the life cycle they control.
 * Ages and hit counts are in frames (calls to {@link Tracker#update}).
 *
 * @param association SORT (one round over all detections) or BYTE (high-score round, then low-score)
 * @param maxAge frames a confirmed track may go unmatched (LOST) before it is removed
 * @param tentativeMaxAge frames a not yet confirmed track may go unmatched before it is removed
 * @param minHits consecutive matches (after the creating frame) that confirm a track; during the
 *     first {@code minHits} frames of the stream every matched track is reported (SORT's warm-up)
 * @param streakConfirms true: a track is reported only while its current streak is ≥ minHits, so a
 *     track re-found after a miss must rebuild its streak (SORT); false: once confirmed, a re-found
 *     track is reported at once (ByteTrack)
 * @param iouThreshold minimum IoU of a match (first round for BYTE)
 * @param lowIouThreshold BYTE: minimum IoU when matching low-score detections in the second round
 * @param tentativeIouThreshold BYTE: minimum IoU when matching unconfirmed tracks
 * @param minScore detections scoring below are ignored
 * @param highScore BYTE: detections scoring at least this are "high" (first round), the rest "low"
 * @param newTrackScore unmatched detections start a track only when scoring at least this
 * @param classAware true: a track only matches detections of its own classId
 * @param appearanceWeight weight w of the cosine similarity of embeddings in the match score
 *     (1 − w)·IoU + w·cos; 0 disables appearance
 * @param appearanceThreshold with appearance on, a pair whose IoU is below the threshold is still
 *     admissible when the cosine similarity reaches this
 * @param appearanceGate appearance is only compared for detections whose centre lies within this
 *     many diagonals of the track's predicted box (a motion gate, as DeepSORT's, that also keeps
 *     the cost of comparing embeddings proportional to the objects nearby)
 * @param embeddingMomentum a track's embedding is m·old + (1 − m)·new (then re-normalised)
 */
public record TrackerConfig(
    Association association,
    int maxAge,
    int tentativeMaxAge,
    int minHits,
    boolean streakConfirms,
    double iouThreshold,
    double lowIouThreshold,
    double tentativeIouThreshold,
    double minScore,
    double highScore,
    double newTrackScore,
    boolean classAware,
    double appearanceWeight,
    double appearanceThreshold,
    double appearanceGate,
    double embeddingMomentum) {

  /** How detections are associated with tracks each frame. */
  public enum Association {
    SORT,
    BYTE
  }

  public TrackerConfig {
    if (association == null) throw new IllegalArgumentException("association must be sort or byte");
    if (maxAge < 0) throw new IllegalArgumentException("maxAge must be ≥ 0: " + maxAge);
    if (tentativeMaxAge < 0) throw new IllegalArgumentException("tentativeMaxAge must be ≥ 0: " + tentativeMaxAge);
    if (minHits < 0) throw new IllegalArgumentException("minHits must be ≥ 0: " + minHits);
    unit("iouThreshold", iouThreshold);
    unit("lowIouThreshold", lowIouThreshold);
    unit("tentativeIouThreshold", tentativeIouThreshold);
    unit("minScore", minScore);
    unit("highScore", highScore);
    unit("newTrackScore", newTrackScore);
    unit("appearanceWeight", appearanceWeight);
    if (!(appearanceThreshold >= -1 && appearanceThreshold <= 1)) {
      throw new IllegalArgumentException("appearanceThreshold must be in [-1, 1]: " + appearanceThreshold);
    }
    if (!(appearanceGate >= 0)) throw new IllegalArgumentException("appearanceGate must be ≥ 0: " + appearanceGate);
    if (!(embeddingMomentum >= 0 && embeddingMomentum < 1)) {
      throw new IllegalArgumentException("embeddingMomentum must be in [0, 1): " + embeddingMomentum);
    }
  }

  private static void unit(String name, double v) {
    if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
  }

  /** SORT's published settings: max_age 1, min_hits 3, IoU ≥ 0.3, every detection used. */
  public static TrackerConfig sort() {
    return new TrackerConfig(Association.SORT, 1, 1, 3, true, 0.3, 0.5, 0.3, 0, 0.5, 0, true, 0, 0.7, 1.0, 0.9);
  }

  /**
   * ByteTrack's published settings: high-score threshold 0.5, low 0.1, new tracks from 0.6, first
   * round IoU ≥ 0.2 (match distance 0.8), second round IoU ≥ 0.5, unconfirmed tracks IoU ≥ 0.3,
   * lost tracks kept 30 frames, tracks confirmed by their second match.
   */
  public static TrackerConfig byteTrack() {
    return new TrackerConfig(Association.BYTE, 30, 0, 1, false, 0.2, 0.5, 0.3, 0.1, 0.5, 0.6, true, 0, 0.7, 1.0, 0.9);
  }

  /** The preset named {@code sort} or {@code bytetrack}. */
  public static TrackerConfig preset(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "sort" -> sort();
      case "bytetrack", "byte" -> byteTrack();
      default -> throw new IllegalArgumentException("unknown tracker '" + name + "' (expected sort or bytetrack)");
    };
  }

  /** A copy with the named parameters (record component names) replaced; values are parsed from text. */
  public TrackerConfig with(Map<String, String> params) {
    Association a = association;
    int maxAge = this.maxAge, tentativeMaxAge = this.tentativeMaxAge, minHits = this.minHits;
    boolean streakConfirms = this.streakConfirms, classAware = this.classAware;
    double iou = iouThreshold, lowIou = lowIouThreshold, tentIou = tentativeIouThreshold, minScore = this.minScore;
    double high = highScore, newTrack = newTrackScore, appW = appearanceWeight, appT = appearanceThreshold;
    double momentum = embeddingMomentum, appGate = appearanceGate;
    for (var e : params.entrySet()) {
      String key = e.getKey().trim();
      String v = e.getValue().trim();
      try {
        switch (key) {
          case "association" -> a = Association.valueOf(v.toUpperCase(Locale.ROOT));
          case "maxAge" -> maxAge = Integer.parseInt(v);
          case "tentativeMaxAge" -> tentativeMaxAge = Integer.parseInt(v);
          case "minHits" -> minHits = Integer.parseInt(v);
          case "streakConfirms" -> streakConfirms = parseBoolean(v);
          case "iouThreshold" -> iou = Double.parseDouble(v);
          case "lowIouThreshold" -> lowIou = Double.parseDouble(v);
          case "tentativeIouThreshold" -> tentIou = Double.parseDouble(v);
          case "minScore" -> minScore = Double.parseDouble(v);
          case "highScore" -> high = Double.parseDouble(v);
          case "newTrackScore" -> newTrack = Double.parseDouble(v);
          case "classAware" -> classAware = parseBoolean(v);
          case "appearanceWeight" -> appW = Double.parseDouble(v);
          case "appearanceThreshold" -> appT = Double.parseDouble(v);
          case "appearanceGate" -> appGate = Double.parseDouble(v);
          case "embeddingMomentum" -> momentum = Double.parseDouble(v);
          default -> throw new IllegalArgumentException("unknown tracker parameter '" + key + "'");
        }
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("tracker parameter " + key + ": not a number: '" + v + "'");
      } catch (IllegalArgumentException ex) {
        if (ex.getMessage().startsWith("unknown tracker parameter")) throw ex;
        throw new IllegalArgumentException("tracker parameter " + key + ": " + ex.getMessage());
      }
    }
    return new TrackerConfig(a, maxAge, tentativeMaxAge, minHits, streakConfirms, iou, lowIou, tentIou,
        minScore, high, newTrack, classAware, appW, appT, appGate, momentum);
  }

  private static boolean parseBoolean(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not a boolean: '" + v + "'");
    };
  }
}
