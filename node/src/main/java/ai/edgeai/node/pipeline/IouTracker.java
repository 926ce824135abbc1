package ai.edgeai.node.pipeline;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.tracking.TrackState;
import ai.edgeai.vision.tracking.TrackedObject;
import ai.edgeai.vision.tracking.Tracker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplest tracker that is correct for the node: greedy IoU matching, class-aware (a "car"
 * never continues a "person" track), highest IoU pairs first. A track is tentative until
 * {@code minHits} matches, lost when unmatched, removed after {@code maxAgeSeconds} without a
 * match. The tracking module's SORT/ByteTrack trackers replace it behind the same interface.
 */
public final class IouTracker implements Tracker {

  private final double iouThreshold;
  private final int minHits;
  private final double maxAgeSeconds;
  private final Map<Long, Track> tracks = new LinkedHashMap<>();
  private long nextId = 1;

  private static final class Track {
    final long id;
    final double firstSeen;
    Detection detection;
    double lastSeen;
    int hits;
    TrackState state;

    Track(long id, Detection d, double t) {
      this.id = id;
      this.detection = d;
      this.firstSeen = t;
      this.lastSeen = t;
      this.hits = 1;
      this.state = TrackState.TENTATIVE;
    }

    TrackedObject view() {
      return new TrackedObject(id, null, state, detection, firstSeen, lastSeen, hits);
    }
  }

  public IouTracker(double iouThreshold, int minHits, double maxAgeSeconds) {
    if (!(iouThreshold > 0 && iouThreshold < 1)) throw new IllegalArgumentException("iouThreshold must be in (0,1): " + iouThreshold);
    if (minHits < 1) throw new IllegalArgumentException("minHits must be >= 1: " + minHits);
    if (!(maxAgeSeconds > 0)) throw new IllegalArgumentException("maxAgeSeconds must be > 0: " + maxAgeSeconds);
    this.iouThreshold = iouThreshold;
    this.minHits = minHits;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  /** Defaults for 5 fps cameras: IoU 0.3, confirmed after 2 hits, removed after 2 s unseen. */
  public IouTracker() {
    this(0.3, 2, 2.0);
  }

  private record Pair(Track track, int det, double iou) {}

  @Override
  public List<TrackedObject> update(double t, List<Detection> detections) {
    List<Pair> pairs = new ArrayList<>();
    for (Track tr : tracks.values()) {
      for (int i = 0; i < detections.size(); i++) {
        Detection d = detections.get(i);
        if (!d.label().equals(tr.detection.label())) continue;
        double iou = tr.detection.box().iou(d.box());
        if (iou >= iouThreshold) pairs.add(new Pair(tr, i, iou));
      }
    }
    pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
    var matchedTracks = new java.util.HashSet<Long>();
    boolean[] matchedDet = new boolean[detections.size()];
    List<TrackedObject> updated = new ArrayList<>();
    for (Pair p : pairs) {
      if (matchedDet[p.det] || matchedTracks.contains(p.track.id)) continue;
      matchedDet[p.det] = true;
      matchedTracks.add(p.track.id);
      Track tr = p.track;
      tr.detection = detections.get(p.det);
      tr.lastSeen = t;
      tr.hits++;
      if (tr.hits >= minHits) tr.state = TrackState.CONFIRMED;
      else if (tr.state == TrackState.LOST) tr.state = TrackState.TENTATIVE;
      if (tr.state == TrackState.CONFIRMED) updated.add(tr.view());
    }
    var it = tracks.values().iterator();
    while (it.hasNext()) {
      Track tr = it.next();
      if (matchedTracks.contains(tr.id)) continue;
      if (tr.state == TrackState.TENTATIVE || t - tr.lastSeen > maxAgeSeconds) {
        // Tentative tracks die at their first miss: one-frame flickers never become objects.
        tr.state = TrackState.REMOVED;
        it.remove();
      } else {
        tr.state = TrackState.LOST;
      }
    }
    for (int i = 0; i < detections.size(); i++) {
      if (matchedDet[i]) continue;
      Track tr = new Track(nextId++, detections.get(i), t);
      if (minHits <= 1) {
        tr.state = TrackState.CONFIRMED;
        updated.add(tr.view());
      }
      tracks.put(tr.id, tr);
    }
    return updated;
  }

  @Override
  public List<TrackedObject> activeTracks() {
    List<TrackedObject> out = new ArrayList<>();
    for (Track tr : tracks.values()) {
      if (tr.state == TrackState.CONFIRMED || tr.state == TrackState.LOST) out.add(tr.view());
    }
    return out;
  }
}
