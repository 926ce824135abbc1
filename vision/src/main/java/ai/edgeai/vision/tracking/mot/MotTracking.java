package ai.edgeai.vision.tracking.mot;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.tracking.TrackedObject;
import ai.edgeai.vision.tracking.Tracker;
import java.util.ArrayList;
import java.util.List;

/** Runs a {@link Tracker} over a MOTChallenge detection file, frame by frame. */
public final class MotTracking {

  private MotTracking() {}

  /**
   * Feeds frames 1..numFrames (empty frames included, so tracks age as in real time) and returns
   * the reported tracks as MOTChallenge lines with the tracker's smoothed boxes.
   *
   * @param numFrames ≤ 0 means up to the last frame with a detection
   * @param frameRate frames per second for the tracker's timestamps (&gt; 0)
   * @param source name of the detection file, for error messages
   * @throws MotFormatException for a detection whose score is outside [0, 1]
   */
  public static List<MotRecord> run(Tracker tracker, List<MotRecord> detections, int numFrames, double frameRate,
      String source) throws MotFormatException {
    if (!(frameRate > 0)) throw new IllegalArgumentException("frame rate must be > 0: " + frameRate);
    int frames = numFrames;
    if (frames <= 0) for (MotRecord r : detections) frames = Math.max(frames, r.frame());
    List<List<Detection>> byFrame = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) byFrame.add(new ArrayList<>());
    for (MotRecord r : detections) {
      if (r.frame() > frames) continue;
      if (!(r.conf() >= 0 && r.conf() <= 1)) {
        throw new MotFormatException(source + ":" + r.line() + ": detection score " + r.conf()
            + " is outside [0, 1]; rescale the detector's scores first");
      }
      byFrame.get(r.frame() - 1).add(toDetection(r));
    }
    List<MotRecord> out = new ArrayList<>();
    for (int f = 1; f <= frames; f++) {
      for (TrackedObject t : tracker.update((f - 1) / frameRate, byFrame.get(f - 1))) {
        out.add(MotRecord.ofTrack(f, Math.toIntExact(t.trackId()), t.detection().box(), t.detection().score()));
      }
    }
    return out;
  }

  /** Class column −1 (unknown) or 1 (pedestrian) becomes class 0 "person"; others keep their number. */
  public static Detection toDetection(MotRecord r) {
    int cls = r.classId() <= 1 ? 0 : r.classId();
    return Detection.of(cls == 0 ? "person" : "class" + cls, cls, r.conf(), r.box());
  }
}
