package ai.edgeai.node;

import ai.edgeai.node.broker.EmbeddedBroker;
import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.config.MqttConfig;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.config.OutboxConfig;
import ai.edgeai.node.events.EventPublisher;
import ai.edgeai.node.events.ObjectChange;
import ai.edgeai.node.mqtt.MqttPublisher;
import ai.edgeai.node.mqtt.OutboxSender;
import ai.edgeai.node.outbox.FsyncPolicy;
import ai.edgeai.node.outbox.Outbox;
import ai.edgeai.node.outbox.OutboxStats;
import ai.edgeai.node.pipeline.CameraPipeline;
import ai.edgeai.node.pipeline.DetectorFactory;
import ai.edgeai.node.pipeline.DetectorWorkers;
import ai.edgeai.node.pipeline.FrameDetector;
import ai.edgeai.node.pipeline.FrameEmbedder;
import ai.edgeai.node.pipeline.Trackers;
import ai.edgeai.node.config.IdentitiesConfig;
import ai.edgeai.vision.tracking.multicam.CameraTopology;
import ai.edgeai.vision.tracking.multicam.CrossCameraIdentities;
import ai.edgeai.vision.tracking.multicam.MultiCameraConfig;
import ai.edgeai.node.source.Frame;
import ai.edgeai.node.source.FrameSink;
import ai.edgeai.node.source.FrameSource;
import ai.edgeai.node.source.Sources;
import ai.edgeai.vision.tracking.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The edge node: cameras → shared detector workers → a tracker per camera → Frigate-shaped events
 * → disk outbox → MQTT. Build with {@link #start}; {@link #close} stops everything in reverse.
 */
public final class EdgeNode implements AutoCloseable {

  /** What a running node tells its host (the CLI, tests). All methods may be called from any thread. */
  public interface Listener {
    /** A message was put in the outbox (or would be, with MQTT disabled). */
    default void published(String topic, byte[] payload) {}

    /** A line worth showing to the operator (start-up facts, camera outages, damaged outbox records). */
    default void log(String line) {}
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeConfig cfg;
  private final Listener listener;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<String, CameraPipeline> cameras = new LinkedHashMap<>();
  private final Map<String, FrameDetector> detectors = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private final Map<String, CameraPipeline.Counters> lastCounters = new HashMap<>();
  private long lastStatsNanos = System.nanoTime();
  private EmbeddedBroker broker;
  private Outbox outbox;
  private MqttPublisher mqtt;
  private OutboxSender sender;
  private EventPublisher publisher;
  private DetectorWorkers workers;
  private HttpServer http;
  private volatile boolean closed;

  private EdgeNode(NodeConfig cfg, Listener listener) {
    this.cfg = cfg;
    this.listener = listener;
  }

  /**
   * Checks the configuration against the machine (sources, detectors), then starts the outbox,
   * the broker connection, the cameras and the stats.
   *
   * @param trackers makes each camera's tracker (e.g. the tracking module's ByteTrack)
   * @throws IllegalArgumentException naming the camera/key that cannot work
   * @throws ai.edgeai.node.mqtt.MqttConnectException when the broker refuses the node
   * @throws IOException when the outbox folder or a port cannot be used
   */
  public static EdgeNode start(NodeConfig cfg, DetectorFactory detectorFactory, Function<CameraConfig, Tracker> trackers,
      Listener listener) throws IOException {
    EdgeNode n = new EdgeNode(cfg, listener);
    try {
      n.startAll(detectorFactory, trackers);
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
    return n;
  }

  /** {@link #start} with each camera's configured tracker ({@code tracker}, {@code tracker_params}). */
  public static EdgeNode start(NodeConfig cfg, DetectorFactory detectorFactory, Listener listener) throws IOException {
    return start(cfg, detectorFactory, c -> Trackers.create(c.tracker(), c.trackerParams(), c.fps()), listener);
  }

  private void startAll(DetectorFactory detectorFactory, Function<CameraConfig, Tracker> trackers) throws IOException {
    List<CameraConfig> enabled = cfg.cameras().stream().filter(CameraConfig::enabled).toList();
    if (enabled.isEmpty()) throw new IllegalArgumentException("cameras: no enabled camera configured");
    // Everything that can be checked is checked before anything starts.
    Map<String, FrameSource> sources = new LinkedHashMap<>();
    for (CameraConfig c : enabled) {
      sources.put(c.name(), Sources.open(c));
      detectors.computeIfAbsent(c.detector(), name -> detectorFactory.create(name, c));
    }
    for (FrameDetector d : detectors.values()) closeables.add(d);
    CameraPipeline.Identities identities = identities(cfg.identities(), detectorFactory);

    MqttConfig m = cfg.mqtt();
    String prefix = m.topicPrefix();
    if (m.enabled()) {
      OutboxConfig o = cfg.outbox();
      outbox = Outbox.open(Path.of(o.path()), new Outbox.Settings((long) o.maxMegabytes() << 20,
          (long) o.segmentKilobytes() << 10, FsyncPolicy.parse(o.fsync()), o.fsyncIntervalMs(), o.fsyncBatch()),
          line -> listener.log(line));
      closeables.add(outbox);
      OutboxStats st = outbox.stats();
      if (st.pending() > 0) listener.log("outbox: " + st.pending() + " message(s) from an earlier run will be sent first");
      if (m.useEmbeddedBroker()) {
        broker = EmbeddedBroker.start(m.embedded());
        closeables.add(broker);
        listener.log("mqtt: embedded broker (Moquette, MQTT 3.1.1) on " + broker.host() + ":" + broker.port()
            + (broker.websocketPort() > 0 ? ", WebSocket ws://" + broker.host() + ":" + broker.websocketPort() + "/mqtt" : ""));
        m = withHost(m, broker.host(), broker.port());
      }
      String clientId = m.clientId() != null ? m.clientId() : "edgeai-" + cfg.node().name();
      mqtt = new MqttPublisher(m, clientId, prefix + "/available", listener::log);
      closeables.add(mqtt);
      if (m.homeassistant().enabled()) {
        MqttConfig.HomeAssistant ha = m.homeassistant();
        mqtt.onConnect(this::publishDiscovery);
        mqtt.subscribeOnConnect(ha.discoveryPrefix() + "/status", payload -> {
          if ("online".equals(new String(payload, StandardCharsets.UTF_8))) publishDiscovery();
        });
      }
      mqtt.start(5);
      if (mqtt.isConnected()) listener.log("mqtt: connected to " + m.host() + ":" + m.port() + " with MQTT " + mqtt.protocol());
      sender = new OutboxSender(outbox, mqtt, cfg.outbox().maxInFlight(), listener::log);
      closeables.add(sender);
      sender.start();
    }
    publisher = new EventPublisher(prefix, outbox, listener::published);

    workers = new DetectorWorkers(cfg.node().detectorThreads(), this::onChanges, listener::log);
    closeables.add(workers);
    for (CameraConfig c : enabled) {
      CameraPipeline cam = new CameraPipeline(c, sources.get(c.name()), detectors.get(c.detector()), trackers.apply(c),
          identities);
      cameras.put(c.name(), cam);
    }
    for (CameraPipeline cam : cameras.values()) {
      closeables.add(cam.source());
      cam.source().start(new FrameSink() {
        @Override
        public void frame(Frame f) {
          workers.offer(cam, f);
        }

        @Override
        public void status(boolean online, String reason) {
          cameraStatus(cam, online, reason);
        }
      });
      listener.log("camera '" + cam.name() + "': " + Sources.resolveType(cam.config()) + " " + cam.config().source()
          + " at " + cam.config().fps() + " fps, " + cam.config().detect().width() + "x" + cam.config().detect().height()
          + ", detector " + cam.config().detector() + ", tracker " + cam.config().tracker());
    }
    if (mqtt != null) {
      ScheduledExecutorService stats = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("stats").daemon(true).unstarted(r));
      closeables.add(stats::shutdownNow);
      int every = cfg.node().statsIntervalSeconds();
      stats.scheduleAtFixedRate(this::publishStats, every, every, TimeUnit.SECONDS);
    }
    if (cfg.http().enabled()) startHttp();
  }

  private CameraPipeline.Identities identities(IdentitiesConfig ic, DetectorFactory factory) {
    if (!ic.enabled()) return null;
    FrameEmbedder embedder = factory.embedder(ic.reidModel(), ic.labels());
    closeables.add(embedder);
    CameraTopology topology = CameraTopology.any();
    for (IdentitiesConfig.Transit t : ic.topology()) {
      topology.link(t.from(), t.to(), t.minSeconds(), t.maxSeconds());
      if (t.bothWays()) topology.link(t.to(), t.from(), t.minSeconds(), t.maxSeconds());
    }
    var registry = new CrossCameraIdentities(new MultiCameraConfig(ic.similarityThreshold(), ic.timeWindowSeconds(),
        ic.galleryPerIdentity(), ic.observationsToDecide(), topology));
    listener.log("identities: " + embedder.describe() + ", similarity >= " + ic.similarityThreshold()
        + ", window " + ic.timeWindowSeconds() + " s" + (ic.topology().isEmpty() ? "" : ", " + ic.topology().size() + " transition(s)"));
    return new CameraPipeline.Identities(embedder, registry, ic.labels());
  }

  private static MqttConfig withHost(MqttConfig m, String host, int port) {
    return new MqttConfig(m.enabled(), host, port, false, null, null, null, null, null, m.topicPrefix(), m.clientId(),
        m.protocol(), m.sessionExpirySeconds(), m.keepAliveSeconds(), m.homeassistant(), m.embedded());
  }

  private void cameraStatus(CameraPipeline cam, boolean online, String reason) {
    synchronized (cam) {
      cam.statusChanged(online, reason);
      listener.log("camera '" + cam.name() + "' " + (online ? "online" : "offline") + ": " + reason);
      if (!closed) publisher.cameraStatus(cam.name(), online, reason, System.currentTimeMillis() / 1000.0);
    }
  }

  private void onChanges(CameraPipeline cam, Frame frame, List<ObjectChange> changes) {
    if (changes.isEmpty() || closed) return;
    Map<String, Integer> before = new HashMap<>();
    for (ObjectChange c : changes) publisher.objectChange(c);
    Map<String, Integer> counts = cam.events().counts();
    // Counts are retained state: publish the labels that changed in this frame.
    for (ObjectChange c : changes) before.putIfAbsent(c.label(), counts.getOrDefault(c.label(), 0));
    before.forEach((label, n) -> publisher.count(cam.name(), label, n));
  }

  /** The node's health: what {@code <prefix>/stats} and {@code GET /api/stats} carry. */
  public synchronized ObjectNode stats() {
    long now = System.nanoTime();
    double dt = Math.max(1e-3, (now - lastStatsNanos) / 1e9);
    lastStatsNanos = now;
    ObjectNode s = JSON.createObjectNode();
    s.put("event_id", EventPublisher.newEventId());
    s.put("node", cfg.node().name());
    s.put("timestamp", System.currentTimeMillis() / 1000.0);
    s.put("uptime_s", Math.round((now - startNanos) / 1e9));
    ObjectNode cams = s.putObject("cameras");
    for (CameraPipeline cam : cameras.values()) {
      CameraPipeline.Counters c = cam.counters();
      CameraPipeline.Counters p = lastCounters.getOrDefault(cam.name(), new CameraPipeline.Counters(0, 0, 0, 0, 0, 0, 0, 0));
      lastCounters.put(cam.name(), c);
      long processed = c.processed() - p.processed();
      ObjectNode n = cams.putObject(cam.name());
      n.put("status", cam.online() ? "online" : "offline");
      n.put("status_reason", cam.statusReason());
      n.put("camera_fps", round((c.frames() - p.frames()) / dt));
      n.put("detection_fps", round(processed / dt));
      n.put("frames", c.frames());
      n.put("dropped", c.dropped());
      n.put("skipped", c.skipped());
      n.put("detector_ms", round(processed == 0 ? 0 : (c.detectMillisTotal() - p.detectMillisTotal()) / processed));
      n.put("latency_ms", round(processed == 0 ? 0 : (c.latencyMillisTotal() - p.latencyMillisTotal()) / processed));
      n.put("outages", c.outages());
    }
    ObjectNode dets = s.putObject("detectors");
    detectors.forEach((name, d) -> dets.putObject(name).put("description", d.describe()));
    if (outbox != null) {
      OutboxStats o = outbox.stats();
      ObjectNode n = s.putObject("outbox");
      n.put("pending", o.pending());
      n.put("pending_bytes", o.pendingBytes());
      n.put("appended", o.appended());
      n.put("acked", o.acked());
      n.put("evicted", o.evicted());
      n.put("damaged", o.damaged());
      n.put("segments", o.segments());
    }
    if (mqtt != null) {
      ObjectNode n = s.putObject("mqtt");
      n.put("connected", mqtt.isConnected());
      n.put("protocol", mqtt.protocol());
      n.put("sent", sender.sent());
      n.put("rejected", sender.rejected());
      n.put("in_flight", sender.inFlight());
    }
    Runtime rt = Runtime.getRuntime();
    ObjectNode mem = s.putObject("memory");
    mem.put("heap_used_mb", round((rt.totalMemory() - rt.freeMemory()) / 1048576.0));
    mem.put("heap_max_mb", round(rt.maxMemory() / 1048576.0));
    return s;
  }

  private void publishStats() {
    try {
      if (mqtt != null && mqtt.isConnected()) {
        mqtt.publish(publisher.prefix() + "/stats", EventPublisher.bytes(stats()), 0, false);
      }
    } catch (RuntimeException e) {
      listener.log("stats: " + e);
    }
  }

  private void publishDiscovery() {
    MqttConfig.HomeAssistant ha = cfg.mqtt().homeassistant();
    String prefix = cfg.mqtt().topicPrefix();
    String node = cfg.node().name();
    // From the configuration, not the running cameras: the first connect happens before they start.
    for (CameraConfig cam : cfg.cameras()) {
      if (!cam.enabled()) continue;
      List<String> labels = cam.labels().isEmpty() ? List.of("person") : cam.labels();
      for (String label : labels) {
        String objectId = node + "_" + cam.name() + "_" + label + "_count";
        ObjectNode c = discoveryBase(node, cam.name() + " " + label + " count", objectId);
        c.put("state_topic", prefix + "/" + cam.name() + "/" + label);
        c.put("state_class", "measurement");
        c.put("icon", "mdi:counter");
        mqtt.publish(ha.discoveryPrefix() + "/sensor/" + node + "/" + objectId + "/config", EventPublisher.bytes(c), 1, true);
      }
      String objectId = node + "_" + cam.name() + "_status";
      ObjectNode c = discoveryBase(node, cam.name() + " camera", objectId);
      c.put("state_topic", prefix + "/" + cam.name() + "/status");
      c.put("payload_on", "online");
      c.put("payload_off", "offline");
      c.put("device_class", "connectivity");
      mqtt.publish(ha.discoveryPrefix() + "/binary_sensor/" + node + "/" + objectId + "/config", EventPublisher.bytes(c), 1, true);
    }
  }

  private ObjectNode discoveryBase(String node, String name, String uniqueId) {
    ObjectNode c = JSON.createObjectNode();
    c.put("name", name);
    c.put("unique_id", "edgeai_" + uniqueId);
    c.put("availability_topic", cfg.mqtt().topicPrefix() + "/available");
    c.put("payload_available", "online");
    c.put("payload_not_available", "offline");
    ObjectNode dev = c.putObject("device");
    dev.putArray("identifiers").add("edgeai_" + node);
    dev.put("name", "edgeai " + node);
    dev.put("manufacturer", "edgeai");
    dev.put("model", "edge node");
    return c;
  }

  private void startHttp() throws IOException {
    try {
      http = HttpServer.create(new InetSocketAddress(cfg.http().host(), cfg.http().port()), 16);
    } catch (IOException e) {
      throw new IOException("http: cannot listen on " + cfg.http().host() + ":" + cfg.http().port() + " (http.port): " + e.getMessage(), e);
    }
    http.createContext("/api/stats", ex -> respond(ex, 200, EventPublisher.bytes(stats())));
    http.createContext("/api/health", ex -> respond(ex, 200, ("{\"status\":\"ok\",\"mqtt_connected\":"
        + (mqtt != null && mqtt.isConnected()) + "}").getBytes(StandardCharsets.UTF_8)));
    http.start();
    closeables.add(() -> http.stop(0));
    listener.log("http: http://" + cfg.http().host() + ":" + http.getAddress().getPort() + "/api/stats");
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(code, body.length);
    try (var out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public Map<String, CameraPipeline> cameras() {
    return Map.copyOf(cameras);
  }

  /** The outbox, or null with MQTT disabled. */
  public Outbox outbox() {
    return outbox;
  }

  /** The MQTT connection, or null with MQTT disabled. */
  public MqttPublisher mqtt() {
    return mqtt;
  }

  /** The embedded broker, or null when an external one is configured. */
  public EmbeddedBroker broker() {
    return broker;
  }

  /** Stops cameras, workers, the sender, the connection (available: offline) and the outbox, in that order. */
  @Override
  public void close() {
    closed = true;
    List<AutoCloseable> reversed = new ArrayList<>(closeables);
    java.util.Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        listener.log("shutdown: " + e);
      }
    }
    closeables.clear();
  }
}
