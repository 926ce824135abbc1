package ai.edgeai.node.broker;

import ai.edgeai.node.config.MqttConfig;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * The broker the node starts when none is configured: Moquette (MQTT 3.1.1), in memory, with a
 * TCP listener and an MQTT-over-WebSocket listener at {@code /mqtt} for browser dashboards.
 * Why Moquette rather than HiveMQ CE: see docs/ARCHITECTURE.md.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private final Server server = new Server();
  private final String host;
  private final int port;
  private final int websocketPort;

  private EmbeddedBroker(String host, int port, int websocketPort) {
    this.host = host;
    this.port = port;
    this.websocketPort = websocketPort;
  }

  /**
   * Starts the broker.
   *
   * @throws IOException naming the port when it is taken
   */
  public static EmbeddedBroker start(MqttConfig.Embedded cfg) throws IOException {
    checkFree(cfg.host(), cfg.port(), "mqtt.embedded.port");
    if (cfg.websocketPort() > 0) checkFree(cfg.host(), cfg.websocketPort(), "mqtt.embedded.websocket_port");
    Properties p = new Properties();
    p.setProperty("host", cfg.host());
    p.setProperty("port", Integer.toString(cfg.port()));
    p.setProperty("websocket_port", cfg.websocketPort() > 0 ? Integer.toString(cfg.websocketPort()) : "disabled");
    p.setProperty("websocket_path", "/mqtt");
    p.setProperty("allow_anonymous", "true");
    p.setProperty("persistence_enabled", "false");
    p.setProperty("telemetry_enabled", "false");
    p.setProperty("netty.mqtt.message_size", Integer.toString(8 << 20)); // snapshots
    EmbeddedBroker b = new EmbeddedBroker(cfg.host(), cfg.port(), cfg.websocketPort());
    b.server.startServer(new MemoryConfig(p));
    return b;
  }

  private static void checkFree(String host, int port, String key) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IOException("embedded MQTT broker: " + host + ":" + port + " (" + key + ") is already in use;"
          + " stop what listens there, pick another port, or set mqtt.host to use that broker", e);
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** WebSocket port (path /mqtt), 0 when disabled. */
  public int websocketPort() {
    return websocketPort;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
