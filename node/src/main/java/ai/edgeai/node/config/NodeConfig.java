package ai.edgeai.node.config;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The node's part of {@code edgeai.yaml}: sections {@code node}, {@code cameras}, {@code mqtt},
 * {@code outbox}, {@code http} and {@code identities}. Every section is optional except {@code cameras}; defaults are
 * applied in the compact constructors so a loaded config is always complete.
 */
public record NodeConfig(
    NodeSection node, List<CameraConfig> cameras, MqttConfig mqtt, OutboxConfig outbox, HttpConfig http,
    IdentitiesConfig identities) {

  public NodeConfig {
    node = node == null ? new NodeSection(null, null, null) : node;
    cameras = cameras == null ? List.of() : List.copyOf(cameras);
    mqtt = mqtt == null ? MqttConfig.defaults() : mqtt;
    outbox = outbox == null ? OutboxConfig.defaults() : outbox;
    http = http == null ? new HttpConfig(null, null, null) : http;
    identities = identities == null ? IdentitiesConfig.disabled() : identities;
    var names = new HashSet<String>();
    for (CameraConfig c : cameras) {
      Objects.requireNonNull(c, "cameras: empty entry");
      if (!names.add(c.name())) throw new IllegalArgumentException("cameras: duplicate camera name '" + c.name() + "'");
    }
    for (IdentitiesConfig.Transit t : identities.topology()) {
      for (String cam : List.of(t.from(), t.to())) {
        if (!names.contains(cam)) throw new IllegalArgumentException("identities.topology: no camera named '" + cam + "'");
      }
    }
  }

  /**
   * @param name node name, used in client ids, stats and discovery (default: host name)
   * @param detectorThreads detector workers shared by all cameras (default 1)
   * @param statsIntervalSeconds period of {@code <prefix>/stats} (default 15)
   */
  public record NodeSection(String name, Integer detectorThreads, Integer statsIntervalSeconds) {
    public NodeSection {
      name = name == null || name.isBlank() ? hostName() : name.strip();
      if (!name.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("node.name '" + name + "': use letters, digits, '_', '.', '-'");
      }
      detectorThreads = detectorThreads == null ? 1 : detectorThreads;
      if (detectorThreads < 1 || detectorThreads > 64) {
        throw new IllegalArgumentException("node.detector_threads must be 1..64, got " + detectorThreads);
      }
      statsIntervalSeconds = statsIntervalSeconds == null ? 15 : statsIntervalSeconds;
      if (statsIntervalSeconds < 1) {
        throw new IllegalArgumentException("node.stats_interval_seconds must be >= 1, got " + statsIntervalSeconds);
      }
    }

    private static String hostName() {
      try {
        String h = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-");
        return h.isBlank() ? "edgeai" : h;
      } catch (Exception e) {
        return "edgeai";
      }
    }
  }

  /** HTTP status endpoint ({@code GET /api/stats}, {@code GET /api/health}). */
  public record HttpConfig(Boolean enabled, String host, Integer port) {
    public HttpConfig {
      enabled = enabled != null && enabled;
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 5080 : port;
      if (port < 0 || port > 65535) throw new IllegalArgumentException("http.port out of range: " + port);
    }
  }
}
