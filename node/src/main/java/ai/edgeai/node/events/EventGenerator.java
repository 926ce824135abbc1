package ai.edgeai.node.events;

import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.source.Frame;
import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.tracking.TrackState;
import ai.edgeai.vision.tracking.TrackedObject;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/**
 * Turns one camera's tracks into Frigate-shaped changes: {@code new} when a track is confirmed,
 * {@code update} when the object gets a better snapshot (top score up), changes zones, starts or
 * stops being stationary, changes sub label or gets its cross-camera {@code global_id}, and
 * {@code end} when its track is removed. Keeps
 * the live count per label. One instance per camera, called from one thread at a time.
 */
public final class EventGenerator {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final double BETTER_SNAPSHOT = 0.02;
  private static final double SNAPSHOT_MIN_INTERVAL = 1.0;

  private final CameraConfig camera;
  private final List<Zone> zones;
  private final int stationaryFrames;
  private final Map<Long, ObjectState> objects = new HashMap<>();
  private final Map<String, Integer> counts = new TreeMap<>();

  public EventGenerator(CameraConfig camera) {
    this.camera = camera;
    this.zones = camera.zones().stream().map(Zone::of).toList();
    this.stationaryFrames = (int) Math.max(3, Math.round(camera.fps() * 10)); // 10 s without moving
  }

  private static final class ObjectState {
    String id;
    String globalId;
    double startTime, frameTime, lastSeen;
    Detection det;
    double topScore;
    double publishedTopScore = -1;
    double lastSnapshotTime = Double.NEGATIVE_INFINITY;
    boolean hasSnapshot;
    Set<String> currentZones = new LinkedHashSet<>();
    Set<String> enteredZones = new LinkedHashSet<>();
    BoundingBox anchor;
    int motionlessCount, positionChanges;
    boolean stationary;
    ObjectNode published;
  }

  /**
   * Processes one frame's tracker output.
   *
   * @param updated tracks confirmed and matched in this frame (Tracker.update's result)
   * @param active tracks still alive after this frame (Tracker.activeTracks)
   */
  public List<ObjectChange> onFrame(Frame frame, List<TrackedObject> updated, List<TrackedObject> active) {
    List<ObjectChange> out = new ArrayList<>();
    for (TrackedObject t : updated) {
      if (t.state() != TrackState.CONFIRMED) continue;
      ObjectState o = objects.get(t.trackId());
      boolean isNew = o == null;
      if (isNew) {
        o = new ObjectState();
        o.id = String.format("%.6f-%s", t.firstSeen(), randomSuffix());
        o.startTime = t.firstSeen();
        o.anchor = t.detection().box();
        objects.put(t.trackId(), o);
        counts.merge(t.detection().label(), 1, Integer::sum);
      }
      String oldSub = o.det == null ? null : o.det.subLabel();
      boolean oldStationary = o.stationary;
      Set<String> oldZones = new LinkedHashSet<>(o.currentZones);
      String oldGlobalId = o.globalId;
      if (t.globalId() != null) o.globalId = t.globalId(); // once decided, an object keeps its global id
      o.det = t.detection();
      o.frameTime = frame.time();
      o.lastSeen = t.lastSeen();
      o.topScore = Math.max(o.topScore, o.det.score());
      o.currentZones.clear();
      for (Zone z : zones) if (z.contains(o.det.box(), frame.width(), frame.height())) o.currentZones.add(z.name());
      o.enteredZones.addAll(o.currentZones);
      if (!isNew) {
        if (o.det.box().iou(o.anchor) < 0.6) {
          o.anchor = o.det.box();
          if (o.motionlessCount > 0 && o.stationary) o.positionChanges++;
          o.motionlessCount = 0;
        } else {
          o.motionlessCount++;
        }
        o.stationary = o.motionlessCount >= stationaryFrames;
      }
      boolean betterSnapshot = o.topScore >= o.publishedTopScore + BETTER_SNAPSHOT
          && frame.time() - o.lastSnapshotTime >= SNAPSHOT_MIN_INTERVAL;
      byte[] jpeg = null;
      if (isNew || betterSnapshot) {
        jpeg = snapshot(frame, o.det.box());
        if (jpeg != null) {
          o.hasSnapshot = true;
          o.lastSnapshotTime = frame.time();
        }
        o.publishedTopScore = o.topScore;
      }
      boolean changed = isNew || jpeg != null || !oldZones.equals(o.currentZones) || oldStationary != o.stationary
          || !java.util.Objects.equals(oldSub, o.det.subLabel()) || !java.util.Objects.equals(oldGlobalId, o.globalId);
      if (!changed) continue;
      ObjectNode after = state(o, null);
      out.add(new ObjectChange(isNew ? "new" : "update", isNew ? after : o.published, after, jpeg));
      o.published = after;
    }
    var alive = new java.util.HashSet<Long>();
    for (TrackedObject t : active) alive.add(t.trackId());
    var it = objects.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (alive.contains(e.getKey())) continue;
      ObjectState o = e.getValue();
      it.remove();
      counts.merge(o.det.label(), -1, Integer::sum);
      ObjectNode after = state(o, o.lastSeen);
      out.add(new ObjectChange("end", o.published, after, null));
    }
    return out;
  }

  /** Live objects per label on this camera (labels seen so far stay at 0 when gone). */
  public Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  private ObjectNode state(ObjectState o, Double endTime) {
    Detection d = o.det;
    BoundingBox b = d.box();
    ObjectNode n = JSON.objectNode();
    n.put("id", o.id);
    n.put("camera", camera.name());
    if (o.globalId == null) n.putNull("global_id");
    else n.put("global_id", o.globalId);
    n.put("frame_time", o.frameTime);
    n.put("label", d.label());
    if (d.subLabel() == null) n.putNull("sub_label");
    else n.putArray("sub_label").add(d.subLabel()).add(Double.isNaN(d.similarity()) ? 0 : d.similarity());
    n.put("score", round(d.score()));
    n.put("top_score", round(o.topScore));
    n.set("box", box(b));
    n.put("area", (long) Math.round(b.area()));
    n.put("ratio", round(b.height() == 0 ? 0 : b.width() / b.height()));
    n.set("region", box(b)); // the whole frame is the detector input: the region is the box itself
    ArrayNode cz = n.putArray("current_zones");
    o.currentZones.forEach(cz::add);
    ArrayNode ez = n.putArray("entered_zones");
    o.enteredZones.forEach(ez::add);
    n.put("start_time", o.startTime);
    if (endTime == null) n.putNull("end_time");
    else n.put("end_time", endTime);
    n.put("false_positive", false);
    n.put("stationary", o.stationary);
    n.put("motionless_count", o.motionlessCount);
    n.put("position_changes", o.positionChanges);
    n.put("has_snapshot", o.hasSnapshot);
    n.putNull("thumbnail");
    return n;
  }

  private static ArrayNode box(BoundingBox b) {
    ArrayNode a = JSON.arrayNode();
    a.add(Math.round(b.x1())).add(Math.round(b.y1())).add(Math.round(b.x2())).add(Math.round(b.y2()));
    return a;
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  private static String randomSuffix() {
    var r = ThreadLocalRandom.current();
    char[] c = new char[6];
    for (int i = 0; i < c.length; i++) c[i] = (char) ('a' + r.nextInt(26));
    return new String(c);
  }

  /** The object cropped with a margin, as JPEG. */
  static byte[] snapshot(Frame frame, BoundingBox box) {
    int mx = (int) (box.width() * 0.2) + 8, my = (int) (box.height() * 0.2) + 8;
    int x1 = (int) Math.max(0, box.x1() - mx), y1 = (int) Math.max(0, box.y1() - my);
    int x2 = (int) Math.min(frame.width(), box.x2() + mx), y2 = (int) Math.min(frame.height(), box.y2() + my);
    if (x2 - x1 < 2 || y2 - y1 < 2) return null;
    BufferedImage crop = frame.toImage().getSubimage(x1, y1, x2 - x1, y2 - y1);
    var bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(crop, "jpg", bytes)) return null;
    } catch (IOException e) {
      return null;
    }
    return bytes.toByteArray();
  }
}
