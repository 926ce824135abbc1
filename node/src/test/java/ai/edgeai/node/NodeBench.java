package ai.edgeai.node;

import ai.edgeai.node.config.MqttConfig;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.mqtt.MqttPublisher;
import ai.edgeai.node.mqtt.OutboxSender;
import ai.edgeai.node.outbox.FsyncPolicy;
import ai.edgeai.node.outbox.Outbox;
import ai.edgeai.node.outbox.Priority;
import ai.edgeai.node.pipeline.DetectorFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks for the closing note (not a test). Usage:
 * {@code java -cp <node test classpath> ai.edgeai.node.NodeBench mqtt PORT N [fsync]} or
 * {@code ... NodeBench cameras SECONDS}.
 */
public final class NodeBench {

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "mqtt" -> mqtt(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args.length > 3 ? args[3] : "batch");
      case "cameras" -> cameras(Double.parseDouble(args[1]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void mqtt(int port, int n, String fsync) throws Exception {
    byte[] payload = new byte[400];
    java.util.Arrays.fill(payload, (byte) 'x');
    for (int round = 0; round < 2; round++) {
      // raw HiveMQ client, same in-flight window (64) as the outbox sender
      var raw = MqttClient.builder().useMqttVersion5().identifier("bench-raw").serverHost("127.0.0.1").serverPort(port).buildAsync();
      raw.connectWith().cleanStart(true).send().get();
      Semaphore window = new Semaphore(64);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        window.acquire();
        raw.publishWith().topic("bench/raw").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().whenComplete((r, e) -> window.release());
      }
      window.acquire(64);
      double rawRate = n / ((System.nanoTime() - t0) / 1e9);
      raw.disconnect().get();

      Path dir = Files.createTempDirectory("bench-outbox");
      MqttConfig cfg = new MqttConfig(true, "127.0.0.1", port, null, null, null, null, null, null, "bench", "bench-outbox", "5",
          null, null, null, null);
      try (Outbox outbox = Outbox.open(dir, new Outbox.Settings(256L << 20, 4L << 20, FsyncPolicy.parse(fsync), 50, 100), System.err::println);
           MqttPublisher pub = new MqttPublisher(cfg, "bench-outbox", "bench/available", System.err::println)) {
        pub.start(5);
        try (OutboxSender sender = new OutboxSender(outbox, pub, 64, System.err::println)) {
          sender.start();
          long t1 = System.nanoTime();
          for (int i = 0; i < n; i++) outbox.append("bench/outbox", payload, false, Priority.HIGH);
          while (outbox.stats().pending() > 0) Thread.sleep(1);
          double boxRate = n / ((System.nanoTime() - t1) / 1e9);
          System.out.printf("round %d: %d QoS1 msgs of %d B: raw HiveMQ client %.0f msg/s, through outbox (fsync=%s) %.0f msg/s, ratio %.2f, fsyncs %d%n",
              round, n, payload.length, rawRate, fsync, boxRate, boxRate / rawRate, outbox.stats().fsyncs());
        }
      }
    }
  }

  static void cameras(double seconds) throws Exception {
    for (int cams : new int[] {1, 2, 4}) {
      StringBuilder y = new StringBuilder("node: {name: bench, detector_threads: 2, stats_interval_seconds: 3600}\ncameras:\n");
      for (int i = 0; i < cams; i++) {
        y.append("  - {name: cam").append(i).append(", source: 'testpattern:objects=3,period=6', fps: 30, detect: {width: 640, height: 360}, detector: testpattern}\n");
      }
      y.append("mqtt: {enabled: false}\n");
      NodeConfig cfg = TestConfigs.parse(y.toString());
      try (EdgeNode node = EdgeNode.start(cfg, DetectorFactory.builtIn(), new EdgeNode.Listener() {})) {
        Thread.sleep(2000);
        node.stats(); // reset the rate window after warm-up
        Thread.sleep((long) (seconds * 1000));
        JsonNode s = node.stats();
        double fps = 0, det = 0, lat = 0, drops = 0;
        for (JsonNode c : s.get("cameras")) {
          fps += c.get("detection_fps").asDouble();
          det += c.get("detector_ms").asDouble();
          lat += c.get("latency_ms").asDouble();
          drops += c.get("dropped").asDouble();
        }
        System.out.printf("%d camera(s) at 30 fps 640x360, testpattern detector, 2 workers: processed %.1f fps total (%.1f per camera), detector %.2f ms/frame, capture-to-event latency %.2f ms, dropped %d%n",
            cams, fps, fps / cams, det / cams, lat / cams, (long) drops);
      }
    }
  }
}
