package ai.edgeai.node.pipeline;

import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.events.EventGenerator;
import ai.edgeai.node.events.ObjectChange;
import ai.edgeai.node.source.Frame;
import ai.edgeai.node.source.FrameSource;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.tracking.TrackedObject;
import ai.edgeai.vision.tracking.Tracker;
import ai.edgeai.vision.tracking.multicam.CrossCameraIdentities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/** One camera's state in the pipeline: its source, latest-frame slot, detector, tracker, event generator and counters. */
public final class CameraPipeline {

  /** Receives a camera's object changes and count changes (on a detector worker thread). */
  public interface Output {
    void changes(CameraPipeline camera, Frame frame, List<ObjectChange> changes);
  }

  final CameraConfig config;
  final FrameSource source;
  final LatestFrameSlot slot = new LatestFrameSlot();
  final FrameDetector detector;
  final Tracker tracker;
  final Identities identities;
  final EventGenerator events;
  final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong processed = new AtomicLong();
  private final DoubleAdder detectMillis = new DoubleAdder();
  private final DoubleAdder latencyMillis = new DoubleAdder();
  private final AtomicLong restarts = new AtomicLong();
  private volatile boolean online;
  private volatile String statusReason = "starting";
  private volatile double maxLatencyMillis;

  /**
   * Cross-camera identities shared by the node's cameras: the embedder attaches appearance
   * vectors to the detections of {@code labels}, the registry turns their tracks into global ids.
   */
  public record Identities(FrameEmbedder embedder, CrossCameraIdentities registry, List<String> labels) {}

  public CameraPipeline(CameraConfig config, FrameSource source, FrameDetector detector, Tracker tracker) {
    this(config, source, detector, tracker, null);
  }

  /** @param identities the node's shared identities, or null for none */
  public CameraPipeline(CameraConfig config, FrameSource source, FrameDetector detector, Tracker tracker,
      Identities identities) {
    this.config = config;
    this.source = source;
    this.detector = detector;
    this.tracker = tracker;
    this.identities = identities;
    this.events = new EventGenerator(config);
  }

  /** Runs detection, tracking and event generation on one frame (one thread per camera at a time). */
  List<ObjectChange> process(Frame frame) {
    long t0 = System.nanoTime();
    List<Detection> found = detector.detect(frame);
    long t1 = System.nanoTime();
    List<Detection> kept = new ArrayList<>();
    for (Detection d : found) {
      if (config.tracks(d.label()) && d.score() >= config.minScoreFor(d.label())) kept.add(d);
    }
    if (identities != null) kept = identities.embedder().embed(frame, kept);
    List<TrackedObject> updated = tracker.update(frame.time(), kept);
    if (identities != null) updated = withGlobalIds(frame.time(), updated);
    List<ObjectChange> changes = events.onFrame(frame, updated, tracker.activeTracks());
    processed.incrementAndGet();
    detectMillis.add((t1 - t0) / 1e6);
    double latency = System.currentTimeMillis() - frame.time() * 1000;
    latencyMillis.add(latency);
    if (latency > maxLatencyMillis) maxLatencyMillis = latency;
    return changes;
  }

  /** Tracks of the identities' labels go through the shared registry; others keep no global id. */
  private List<TrackedObject> withGlobalIds(double time, List<TrackedObject> updated) {
    List<TrackedObject> people = new ArrayList<>();
    for (TrackedObject t : updated) if (identities.labels().contains(t.detection().label())) people.add(t);
    if (people.isEmpty()) return updated;
    List<TrackedObject> named = identities.registry().assign(config.name(), time, people);
    Map<Long, TrackedObject> byId = new HashMap<>();
    for (TrackedObject t : named) byId.put(t.trackId(), t);
    List<TrackedObject> out = new ArrayList<>(updated.size());
    for (TrackedObject t : updated) out.add(byId.getOrDefault(t.trackId(), t));
    return out;
  }

  public void statusChanged(boolean online, String reason) {
    if (!online && this.online) restarts.incrementAndGet();
    this.online = online;
    this.statusReason = reason;
  }

  public String name() {
    return config.name();
  }

  public CameraConfig config() {
    return config;
  }

  public FrameSource source() {
    return source;
  }

  public EventGenerator events() {
    return events;
  }

  public boolean online() {
    return online;
  }

  public String statusReason() {
    return statusReason;
  }

  /** A consistent-enough snapshot of the counters for stats. */
  public Counters counters() {
    return new Counters(slot.offered(), slot.dropped(), source.skipped(), processed.get(), detectMillis.sum(),
        latencyMillis.sum(), maxLatencyMillis, restarts.get());
  }

  /**
   * @param frames frames delivered by the source
   * @param dropped frames replaced in the slot before detection took them
   * @param skipped frames the source read but skipped for the fps limit
   * @param processed frames through detection
   * @param detectMillisTotal detector time summed
   * @param latencyMillisTotal capture-to-events time summed
   * @param maxLatencyMillis the worst capture-to-events time
   * @param outages times the camera went offline
   */
  public record Counters(long frames, long dropped, long skipped, long processed, double detectMillisTotal,
      double latencyMillisTotal, double maxLatencyMillis, long outages) {}
}
