package ai.edgeai.node.config;

import java.util.List;

/**
 * Section {@code identities}: one global id per person across the node's cameras. Each tracked
 * object of a listed label gets a re-identification embedding of its box (e.g. OSNet); the
 * tracking module's {@code CrossCameraIdentities} matches tracks of all cameras against a shared
 * gallery, and events carry the result as {@code global_id}.
 *
 * @param enabled default true when the section is present
 * @param reidModel re-identification model: a catalogue name (e.g. {@code osnet}) or a descriptor path; required
 * @param labels labels that get embeddings and global ids (default {@code [person]})
 * @param similarityThreshold minimum cosine similarity to take an existing identity (default 0.5)
 * @param timeWindowSeconds an identity unseen for longer is forgotten (default 600)
 * @param observationsToDecide embeddings a track collects before its identity is decided (default 3)
 * @param galleryPerIdentity per-track mean embeddings kept per identity (default 10)
 * @param topology allowed camera-to-camera transitions; empty (default) allows every transition
 */
public record IdentitiesConfig(
    Boolean enabled,
    String reidModel,
    List<String> labels,
    Double similarityThreshold,
    Double timeWindowSeconds,
    Integer observationsToDecide,
    Integer galleryPerIdentity,
    List<Transit> topology) {

  public IdentitiesConfig {
    enabled = enabled == null || enabled;
    if (enabled && (reidModel == null || reidModel.isBlank())) {
      throw new IllegalArgumentException("identities.reid_model is required (e.g. osnet)");
    }
    labels = labels == null ? List.of("person") : List.copyOf(labels);
    if (labels.isEmpty()) throw new IllegalArgumentException("identities.labels: name at least one label");
    similarityThreshold = similarityThreshold == null ? 0.5 : similarityThreshold;
    if (!(similarityThreshold >= -1 && similarityThreshold <= 1)) {
      throw new IllegalArgumentException("identities.similarity_threshold must be in [-1, 1], got " + similarityThreshold);
    }
    timeWindowSeconds = timeWindowSeconds == null ? 600.0 : timeWindowSeconds;
    if (!(timeWindowSeconds > 0)) throw new IllegalArgumentException("identities.time_window_seconds must be > 0, got " + timeWindowSeconds);
    observationsToDecide = observationsToDecide == null ? 3 : observationsToDecide;
    if (observationsToDecide < 1) throw new IllegalArgumentException("identities.observations_to_decide must be >= 1, got " + observationsToDecide);
    galleryPerIdentity = galleryPerIdentity == null ? 10 : galleryPerIdentity;
    if (galleryPerIdentity < 1) throw new IllegalArgumentException("identities.gallery_per_identity must be >= 1, got " + galleryPerIdentity);
    topology = topology == null ? List.of() : List.copyOf(topology);
  }

  /** No section: no global ids. */
  public static IdentitiesConfig disabled() {
    return new IdentitiesConfig(false, null, null, null, null, null, null, null);
  }

  /**
   * A camera transition: an object leaving {@code from} may appear in {@code to} after
   * {@code min_seconds}..{@code max_seconds}.
   *
   * @param bothWays also allow to → from with the same times (default false)
   */
  public record Transit(String from, String to, Double minSeconds, Double maxSeconds, Boolean bothWays) {
    public Transit {
      if (from == null || to == null) throw new IllegalArgumentException("identities.topology: every entry needs from and to");
      minSeconds = minSeconds == null ? 0.0 : minSeconds;
      maxSeconds = maxSeconds == null ? Double.MAX_VALUE : maxSeconds;
      if (!(minSeconds >= 0 && maxSeconds >= minSeconds)) {
        throw new IllegalArgumentException("identities.topology " + from + " -> " + to + ": need 0 <= min_seconds <= max_seconds");
      }
      bothWays = bothWays != null && bothWays;
    }
  }
}
