package ai.edgeai.vision.tracking;

import ai.edgeai.vision.Detection;
import java.util.Objects;

/**
 * A tracked object's state after a frame.
 *
 * @param trackId id unique within the camera's tracker for the tracker's lifetime
 * @param globalId id shared across cameras by multi-camera association; null when not assigned
 * @param state the life-cycle state
 * @param detection the latest detection (box possibly smoothed by the tracker)
 * @param firstSeen time the track was created
 * @param lastSeen time of the last matched detection
 * @param hits number of frames with a matched detection
 */
public record TrackedObject(
    long trackId,
    String globalId,
    TrackState state,
    Detection detection,
    double firstSeen,
    double lastSeen,
    int hits) {

  public TrackedObject {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detection, "detection");
  }

  /** The same track carrying a cross-camera identity. */
  public TrackedObject withGlobalId(String id) {
    return new TrackedObject(trackId, id, state, detection, firstSeen, lastSeen, hits);
  }
}
