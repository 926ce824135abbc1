package ai.edgeai.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.mqtt.MqttConnectException;
import ai.edgeai.node.outbox.FsyncPolicy;
import ai.edgeai.node.outbox.Outbox;
import ai.edgeai.node.outbox.Priority;
import ai.edgeai.node.pipeline.DetectorFactory;
import ai.edgeai.node.source.Sources;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node against a real Mosquitto broker started by the test (so it can stop and restart it). */
class NodeMqttTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @BeforeAll
  static void needsMosquitto() {
    assumeTrue(Mosquitto.available(), "mosquitto is not installed (scripts/lib/prepare.sh installs it)");
  }

  /** Records what the node put in its outbox, in order. */
  static final class Recorder implements EdgeNode.Listener {
    final List<String> eventIds = Collections.synchronizedList(new ArrayList<>());
    final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    final String eventsTopic;

    Recorder(String prefix) {
      eventsTopic = prefix + "/events";
    }

    @Override
    public void published(String topic, byte[] payload) {
      if (!topic.equals(eventsTopic)) return;
      try {
        eventIds.add(JSON.readTree(payload).get("event_id").asText());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void log(String line) {
      logs.add(line);
    }
  }

  private EdgeNode startNode(NodeConfig cfg, Recorder r) throws Exception {
    return EdgeNode.start(cfg, DetectorFactory.builtIn(), r);
  }

  @Test
  void everyTopicArrivesWithTheDocumentedSchema() throws Exception {
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), null, null);
         Subscriber sub = new Subscriber(broker.port, false, false, "s1/#", "homeassistant/#")) {
      Recorder rec = new Recorder("s1");
      NodeConfig cfg = TestConfigs.parse(TestConfigs.yaml("s1", broker.port, tmp.resolve("outbox"),
          TestConfigs.testPatternCamera("yard"), "homeassistant: {enabled: true}"));
      try (EdgeNode node = startNode(cfg, rec)) {
        assertTrue(sub.await(l -> l.stream().anyMatch(m -> m.topic().equals("s1/stats"))
            && l.stream().filter(m -> m.topic().equals("s1/events") && m.text().contains("\"end\"")).count() >= 1
            && l.stream().anyMatch(m -> m.topic().endsWith("/snapshot")), 20_000), "events, snapshots and stats within 20 s");
      }
      assertTrue(sub.await(l -> l.stream().anyMatch(m -> m.topic().equals("s1/available") && m.text().equals("offline")), 5000));
      List<Subscriber.Msg> all = sub.messages();

      // availability: online first (retained on the broker), offline when the node stops
      List<String> avail = sub.on("s1/available").stream().map(Subscriber.Msg::text).toList();
      assertEquals("online", avail.getFirst());
      assertEquals("offline", avail.getLast());
      assertEquals("online", sub.on("s1/yard/status").getFirst().text());

      Set<String> eventIds = new LinkedHashSet<>();
      int objectEvents = 0;
      boolean sawCameraEvent = false;
      for (Subscriber.Msg m : sub.on("s1/events")) {
        JsonNode e = JSON.readTree(m.payload());
        assertFalse(m.retain(), "events are not retained");
        assertTrue(eventIds.add(e.get("event_id").asText()), "event_id unique: " + e);
        String type = e.get("type").asText();
        if (type.equals("camera")) {
          sawCameraEvent = true;
          assertEquals("yard", e.get("camera").asText());
          assertTrue(Set.of("online", "offline").contains(e.get("status").asText()));
          assertTrue(e.get("reason").isTextual());
          assertTrue(e.get("time").isNumber());
          continue;
        }
        objectEvents++;
        assertTrue(Set.of("new", "update", "end").contains(type), type);
        for (String side : List.of("before", "after")) checkObject(e.get(side), type.equals("end") && side.equals("after"));
        assertEquals(e.get("before").get("id"), e.get("after").get("id"), "before and after describe one object");
        if (type.equals("new")) assertEquals(e.get("before"), e.get("after"));
      }
      assertTrue(sawCameraEvent, "camera online event");
      assertTrue(objectEvents >= 3, "object events: " + objectEvents);

      // counts: retained plain integers per camera and label
      List<Subscriber.Msg> counts = all.stream().filter(m -> m.topic().matches("s1/yard/(person|car|dog)")).toList();
      assertFalse(counts.isEmpty());
      for (Subscriber.Msg m : counts) assertTrue(m.text().matches("\\d+"), m.text());
      // snapshots: JPEG bytes
      for (Subscriber.Msg m : all.stream().filter(m -> m.topic().endsWith("/snapshot")).toList()) {
        assertTrue(m.topic().matches("s1/yard/(person|car|dog)/snapshot"), m.topic());
        assertEquals((byte) 0xFF, m.payload()[0]);
        assertEquals((byte) 0xD8, m.payload()[1]);
        assertNotNull(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(m.payload())), "decodable JPEG");
      }
      // stats
      JsonNode stats = JSON.readTree(sub.on("s1/stats").getLast().payload());
      assertTrue(stats.get("event_id").isTextual());
      assertEquals("testnode", stats.get("node").asText());
      assertTrue(stats.get("uptime_s").isNumber());
      JsonNode cam = stats.get("cameras").get("yard");
      for (String f : List.of("camera_fps", "detection_fps", "frames", "dropped", "skipped", "detector_ms", "latency_ms", "outages")) {
        assertTrue(cam.get(f).isNumber(), "cameras.yard." + f + " in " + cam);
      }
      assertEquals("online", cam.get("status").asText());
      assertTrue(cam.get("camera_fps").asDouble() > 1, "fps measured: " + cam);
      for (String f : List.of("pending", "pending_bytes", "evicted", "damaged")) assertTrue(stats.get("outbox").get(f).isNumber(), f);
      assertTrue(stats.get("mqtt").get("connected").asBoolean());
      assertEquals("5", stats.get("mqtt").get("protocol").asText());
      assertTrue(stats.get("memory").get("heap_used_mb").isNumber());
      // Home Assistant discovery
      Subscriber.Msg disc = all.stream().filter(m -> m.topic().equals("homeassistant/binary_sensor/testnode/testnode_yard_status/config"))
          .findFirst().orElseThrow();
      JsonNode d = JSON.readTree(disc.payload());
      assertEquals("s1/yard/status", d.get("state_topic").asText());
      assertEquals("s1/available", d.get("availability_topic").asText());
      assertTrue(d.get("unique_id").isTextual());
      assertEquals("edgeai_testnode", d.get("device").get("identifiers").get(0).asText());
    }
  }

  private static void checkObject(JsonNode o, boolean ended) {
    for (String f : List.of("id", "camera", "label")) assertTrue(o.get(f).isTextual(), f + " in " + o);
    for (String f : List.of("frame_time", "score", "top_score", "area", "ratio", "start_time", "motionless_count", "position_changes")) {
      assertTrue(o.get(f).isNumber(), f + " in " + o);
    }
    assertTrue(o.get("score").asDouble() <= o.get("top_score").asDouble());
    assertEquals(4, o.get("box").size());
    assertEquals(4, o.get("region").size());
    assertTrue(o.get("current_zones").isArray());
    assertTrue(o.get("entered_zones").isArray());
    assertTrue(o.has("sub_label"));
    assertTrue(o.get("global_id").isNull() || o.get("global_id").isTextual(), "global_id in " + o);
    assertTrue(o.has("thumbnail"));
    for (String f : List.of("false_positive", "stationary", "has_snapshot")) assertTrue(o.get(f).isBoolean(), f);
    if (ended) assertTrue(o.get("end_time").isNumber(), "end_time on end: " + o);
    else assertTrue(o.get("end_time").isNull(), "end_time null while alive: " + o);
  }

  @Test
  void brokerDownForTenSecondsLosesNothingAndKeepsOrder() throws Exception {
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), null, null);
         Subscriber sub = new Subscriber(broker.port, true, false, "s2/events")) {
      Recorder rec = new Recorder("s2");
      NodeConfig cfg = TestConfigs.parse(TestConfigs.yaml("s2", broker.port, tmp.resolve("outbox"),
          TestConfigs.testPatternCamera("gate"), null));
      try (EdgeNode node = startNode(cfg, rec)) {
        Thread.sleep(3000);
        broker.stop();
        int atStop = rec.eventIds.size();
        Thread.sleep(10_000);
        assertTrue(rec.eventIds.size() > atStop, "events kept being generated while the broker was down");
        assertTrue(node.outbox().stats().pending() > 0, "outbox holds them");
        broker.start();
        Thread.sleep(2000);
        // The node reconnects by itself (back-off at most 5 s) and drains its outbox.
        long deadline = System.currentTimeMillis() + 20_000;
        while (node.outbox().stats().pending() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertEquals(0, node.outbox().stats().pending(), "outbox drained after reconnect: " + node.outbox().stats() + " " + rec.logs);
      }
      List<String> expected = List.copyOf(rec.eventIds);
      assertTrue(sub.await(l -> distinctIds(l).size() >= expected.size(), 20_000),
          "all " + expected.size() + " events delivered; got " + distinctIds(sub.messages()).size());
      assertEquals(expected, distinctIds(sub.messages()), "every event, in order (duplicates only with the same event_id)");
    }
  }

  private static List<String> distinctIds(List<Subscriber.Msg> msgs) {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (Subscriber.Msg m : msgs) {
      try {
        ids.add(JSON.readTree(m.payload()).get("event_id").asText());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return new ArrayList<>(ids);
  }

  @Test
  void corruptedOutboxSegmentIsReportedAndTheRestDelivered() throws Exception {
    Path outboxDir = tmp.resolve("outbox");
    List<Long> offsets = new ArrayList<>();
    try (Outbox o = Outbox.open(outboxDir, new Outbox.Settings(1 << 20, 1 << 20, FsyncPolicy.ALWAYS, 50, 100), l -> {})) {
      for (int i = 0; i < 5; i++) {
        o.append("s4/events", ("{\"event_id\":\"spooled-" + i + "\",\"type\":\"new\"}").getBytes(StandardCharsets.UTF_8), false, Priority.HIGH);
      }
    }
    Path segment;
    try (var files = Files.list(outboxDir)) {
      segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    // Flip a byte in the payload of the third record.
    byte[] all = Files.readAllBytes(segment);
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("spooled-2");
    assertTrue(at > 0);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(at);
      f.write('X');
    }
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), null, null);
         Subscriber sub = new Subscriber(broker.port, false, false, "s4/events")) {
      Recorder rec = new Recorder("s4");
      NodeConfig cfg = TestConfigs.parse(TestConfigs.yaml("s4", broker.port, outboxDir,
          TestConfigs.testPatternCamera("door"), null));
      try (EdgeNode node = startNode(cfg, rec)) {
        assertTrue(rec.logs.stream().anyMatch(l -> l.contains("damaged record") && l.contains(segment.getFileName().toString())
            && l.contains("CRC")), "damaged record reported: " + rec.logs);
        assertEquals(1, node.outbox().stats().damaged());
        assertTrue(sub.await(l -> distinctIds(l).containsAll(List.of("spooled-0", "spooled-1", "spooled-3", "spooled-4")), 10_000));
        List<String> ids = distinctIds(sub.messages());
        assertFalse(ids.contains("spooled-2"));
        assertEquals(List.of("spooled-0", "spooled-1", "spooled-3", "spooled-4"), ids.subList(0, 4), "spooled first, in order");
      }
    }
  }

  @Test
  void brokerRefusingThePasswordIsAClearError() throws Exception {
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), "edge", "right-password")) {
      NodeConfig cfg = TestConfigs.parse(TestConfigs.yaml("s6", broker.port, tmp.resolve("outbox"),
          TestConfigs.testPatternCamera("cam"), "username: edge\npassword: wrong-password"));
      var e = assertThrows(MqttConnectException.class, () -> startNode(cfg, new Recorder("s6")));
      assertTrue(e.getMessage().contains("refused") && e.getMessage().contains("127.0.0.1:" + broker.port)
          && e.getMessage().contains("'edge'") && e.getMessage().matches(".*(BAD_USER_NAME_OR_PASSWORD|NOT_AUTHORIZED).*"), e.getMessage());

      // and the right password works
      NodeConfig ok = TestConfigs.parse(TestConfigs.yaml("s6", broker.port, tmp.resolve("outbox2"),
          TestConfigs.testPatternCamera("cam"), "username: edge\npassword: right-password"));
      try (EdgeNode node = startNode(ok, new Recorder("s6"))) {
        assertTrue(node.mqtt().isConnected());
      }
    }
  }

  @Test
  void cameraUrlThatCannotWorkIsAClearError() {
    String yaml = TestConfigs.yaml("s6", 1883, tmp.resolve("outbox"), """
        - name: porch
          source: htp://camera.local/stream
        """, null);
    var e = assertThrows(IllegalArgumentException.class, () -> startNode(TestConfigs.parse(yaml), new Recorder("s6")));
    assertTrue(e.getMessage().contains("camera 'porch'") && e.getMessage().contains("htp://camera.local/stream")
        && e.getMessage().contains("unsupported scheme 'htp'"), e.getMessage());

    String missing = TestConfigs.yaml("s6", 1883, tmp.resolve("outbox"), """
        - name: porch
          source: /nonexistent/clip.mp4
        """, null);
    var e2 = assertThrows(IllegalArgumentException.class, () -> startNode(TestConfigs.parse(missing), new Recorder("s6")));
    assertTrue(e2.getMessage().contains("camera 'porch'") && e2.getMessage().contains("/nonexistent/clip.mp4"), e2.getMessage());
  }

  @Test
  void killedFfmpegComesBackByItselfAndEventsSaySo() throws Exception {
    assumeTrue(Sources.findFfmpeg() != null, "ffmpeg is not installed (scripts/lib/prepare.sh installs it)");
    Path clip = tmp.resolve("clip.mp4");
    Process gen = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
        "testsrc=size=320x240:rate=10", "-t", "2", "-pix_fmt", "yuv420p", clip.toString()).redirectErrorStream(true).start();
    gen.getInputStream().readAllBytes();
    assertTrue(gen.waitFor(30, TimeUnit.SECONDS) && gen.exitValue() == 0, "test clip generated");
    try (Mosquitto broker = new Mosquitto(tmp.resolve("broker"), null, null);
         Subscriber sub = new Subscriber(broker.port, false, false, "s5/#")) {
      NodeConfig cfg = TestConfigs.parse(TestConfigs.yaml("s5", broker.port, tmp.resolve("outbox"), """
          - name: garage
            source: %s
            fps: 5
            detect: {width: 160, height: 120}
            detector: none
          """.formatted(clip), null));
      try (EdgeNode node = startNode(cfg, new Recorder("s5"))) {
        assertTrue(sub.await(l -> cameraEvents(l, "online") >= 1, 15_000), "camera online");
        ProcessHandle ffmpeg = ProcessHandle.current().descendants()
            .filter(p -> p.info().command().orElse("").endsWith("ffmpeg")).findFirst().orElseThrow();
        new ProcessBuilder("kill", "-9", Long.toString(ffmpeg.pid())).start().waitFor();
        assertTrue(sub.await(l -> cameraEvents(l, "offline") >= 1, 10_000), "offline event after the kill");
        assertTrue(sub.await(l -> cameraEvents(l, "online") >= 2, 15_000), "back online by itself");
        JsonNode off = sub.on("s5/events").stream().map(m -> readTree(m.payload())).filter(j -> "offline".equals(j.path("status").asText()))
            .findFirst().orElseThrow();
        assertTrue(off.get("reason").asText().contains("ffmpeg exited with signal 9"), off.toString());
        List<String> status = sub.on("s5/garage/status").stream().map(Subscriber.Msg::text).toList();
        assertEquals(List.of("online", "offline", "online"), status.subList(0, 3));
        assertTrue(ProcessHandle.current().descendants().anyMatch(p -> p.isAlive() && p.pid() != ffmpeg.pid()
            && p.info().command().orElse("").endsWith("ffmpeg")), "a new ffmpeg runs");
        assertEquals(1, node.cameras().get("garage").counters().outages());
      }
    }
  }

  private static long cameraEvents(List<Subscriber.Msg> l, String status) {
    return l.stream().filter(m -> m.topic().equals("s5/events")).map(m -> readTree(m.payload()))
        .filter(j -> "camera".equals(j.path("type").asText()) && status.equals(j.path("status").asText())).count();
  }

  private static JsonNode readTree(byte[] b) {
    try {
      return JSON.readTree(b);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void embeddedBrokerServesMqtt311ClientsAndTheNodeFallsBackTo311() throws Exception {
    int port = Mosquitto.freePort();
    String yaml = """
        node: {name: emb, stats_interval_seconds: 1}
        cameras:
        %s
        mqtt:
          topic_prefix: emb
          embedded: {port: %d, websocket_port: 0}
        outbox: {path: %s}
        """.formatted(TestConfigs.testPatternCamera("c1").indent(2).stripTrailing(), port, tmp.resolve("outbox"));
    Recorder rec = new Recorder("emb");
    try (EdgeNode node = startNode(TestConfigs.parse(yaml), rec);
         Subscriber sub = new Subscriber(port, false, true, "emb/events")) {
      assertEquals("3.1.1", node.mqtt().protocol());
      assertTrue(sub.await(l -> l.stream().anyMatch(m -> m.text().contains("\"new\"")), 10_000), "events through the embedded broker");
    }
  }
}
