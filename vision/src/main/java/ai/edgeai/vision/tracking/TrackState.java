package ai.edgeai.vision.tracking;

/** Life cycle of a track: tentative until confirmed by enough hits, lost when unmatched, removed after max age. */
public enum TrackState {
  TENTATIVE,
  CONFIRMED,
  LOST,
  REMOVED
}
