package ai.edgeai.vision.tracking.multicam;

import java.util.Objects;

/**
 * Parameters of {@link CrossCameraIdentities}.
 *
 * @param similarityThreshold minimum cosine similarity between a new track's mean embedding and an
 *     identity's gallery for the track to take that identity
 * @param timeWindowSeconds an identity can be taken only while it was last seen at most this long ago;
 *     older identities are forgotten
 * @param galleryPerIdentity how many per-track mean embeddings an identity keeps (most recent)
 * @param observationsToDecide embeddings a track collects before its identity is decided (averaging
 *     out a bad first crop); the track carries no global id until then
 * @param topology allowed camera transitions and their transit times
 */
public record MultiCameraConfig(double similarityThreshold, double timeWindowSeconds, int galleryPerIdentity,
    int observationsToDecide, CameraTopology topology) {

  public MultiCameraConfig {
    if (!(similarityThreshold >= -1 && similarityThreshold <= 1)) {
      throw new IllegalArgumentException("similarityThreshold must be in [-1, 1]: " + similarityThreshold);
    }
    if (!(timeWindowSeconds > 0)) throw new IllegalArgumentException("timeWindowSeconds must be > 0: " + timeWindowSeconds);
    if (galleryPerIdentity < 1) throw new IllegalArgumentException("galleryPerIdentity must be ≥ 1: " + galleryPerIdentity);
    if (observationsToDecide < 1) throw new IllegalArgumentException("observationsToDecide must be ≥ 1: " + observationsToDecide);
    Objects.requireNonNull(topology, "topology");
  }

  /** Threshold 0.5, 10-minute window, 10 gallery entries, decide after 3 embeddings, any topology. */
  public static MultiCameraConfig defaults() {
    return new MultiCameraConfig(0.5, 600, 10, 3, CameraTopology.any());
  }

  public MultiCameraConfig withTopology(CameraTopology t) {
    return new MultiCameraConfig(similarityThreshold, timeWindowSeconds, galleryPerIdentity, observationsToDecide, t);
  }

  public MultiCameraConfig withTimeWindow(double seconds) {
    return new MultiCameraConfig(similarityThreshold, seconds, galleryPerIdentity, observationsToDecide, topology);
  }
}
