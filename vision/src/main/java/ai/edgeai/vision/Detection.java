package ai.edgeai.vision;

import java.util.List;
import java.util.Objects;

/**
 * One detected object in one image, in original-image pixels.
 *
 * @param label class name (e.g. "person", "face")
 * @param classId index of the class in the model's label list
 * @param score detector confidence in [0, 1]
 * @param box the object's box
 * @param landmarks optional key points (e.g. 5 face landmarks), each {x, y}; empty when none
 * @param subLabel optional identity (e.g. a recognised person's name), null when none
 * @param similarity similarity of {@code subLabel}'s match, NaN when none
 * @param embedding optional appearance embedding (re-identification, face), null when none
 */
public record Detection(
    String label,
    int classId,
    double score,
    BoundingBox box,
    List<double[]> landmarks,
    String subLabel,
    double similarity,
    float[] embedding) {

  public Detection {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(box, "box");
    if (!(score >= 0 && score <= 1)) throw new IllegalArgumentException("score out of [0,1]: " + score);
    landmarks = landmarks == null ? List.of() : List.copyOf(landmarks);
  }

  /** A plain detection without landmarks, identity or embedding. */
  public static Detection of(String label, int classId, double score, BoundingBox box) {
    return new Detection(label, classId, score, box, List.of(), null, Double.NaN, null);
  }

  public Detection withIdentity(String name, double sim) {
    return new Detection(label, classId, score, box, landmarks, name, sim, embedding);
  }

  public Detection withEmbedding(float[] e) {
    return new Detection(label, classId, score, box, landmarks, subLabel, similarity, e);
  }
}
