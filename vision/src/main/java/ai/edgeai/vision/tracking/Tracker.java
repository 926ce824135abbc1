package ai.edgeai.vision.tracking;

import ai.edgeai.vision.Detection;
import java.util.List;

/**
 * Turns one camera's per-frame detections into tracks with stable ids. One instance per camera;
 * not thread-safe (a camera's frames arrive in order on one thread).
 */
public interface Tracker {

  /**
   * Feeds the detections of the next frame.
   *
   * @param frameTimeSeconds the frame's timestamp (monotonic per camera)
   * @param detections everything the detector found in this frame
   * @return the tracks that are confirmed and were updated in this frame
   */
  List<TrackedObject> update(double frameTimeSeconds, List<Detection> detections);

  /** All tracks that are currently alive (confirmed or lost but not yet removed). */
  List<TrackedObject> activeTracks();
}
