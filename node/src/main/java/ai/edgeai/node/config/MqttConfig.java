package ai.edgeai.node.config;

import java.util.List;

/**
 * MQTT connection and topics. Without {@code host} the node starts its embedded broker and
 * connects to it.
 *
 * @param enabled false runs the pipeline without publishing (events are still printed/spooled)
 * @param host broker host; absent: the embedded broker
 * @param port broker port (default 1883, 8883 with TLS)
 * @param tls connect with TLS
 * @param caFile PEM file of the CA that signed the broker's certificate (default: the JVM's trust store)
 * @param keystoreFile PKCS#12 file with the client certificate and key, for certificate authentication
 * @param keystorePassword password of {@code keystore_file}
 * @param username user name
 * @param password password
 * @param topicPrefix first topic level (default {@code edgeai})
 * @param clientId client identifier (default {@code edgeai-<node name>})
 * @param protocol {@code auto} (MQTT 5, falling back to 3.1.1), {@code 5} or {@code 3.1.1}
 * @param sessionExpirySeconds MQTT 5 session expiry; must be &gt; 0 so the broker keeps the session
 * @param keepAliveSeconds keep alive
 * @param homeassistant Home Assistant discovery
 * @param embedded the embedded broker's listeners
 */
public record MqttConfig(
    Boolean enabled,
    String host,
    Integer port,
    Boolean tls,
    String caFile,
    String keystoreFile,
    String keystorePassword,
    String username,
    String password,
    String topicPrefix,
    String clientId,
    String protocol,
    Long sessionExpirySeconds,
    Integer keepAliveSeconds,
    HomeAssistant homeassistant,
    Embedded embedded) {

  public static final List<String> PROTOCOLS = List.of("auto", "5", "3.1.1");

  public MqttConfig {
    enabled = enabled == null || enabled;
    tls = tls != null && tls;
    port = port == null ? (tls ? 8883 : 1883) : port;
    if (port < 1 || port > 65535) throw new IllegalArgumentException("mqtt.port out of range: " + port);
    topicPrefix = topicPrefix == null ? "edgeai" : topicPrefix;
    if (topicPrefix.isEmpty() || topicPrefix.matches(".*[#+].*") || topicPrefix.startsWith("/") || topicPrefix.endsWith("/")) {
      throw new IllegalArgumentException("mqtt.topic_prefix '" + topicPrefix + "': no wildcards, no leading or trailing '/'");
    }
    protocol = protocol == null ? "auto" : protocol;
    if (!PROTOCOLS.contains(protocol)) throw new IllegalArgumentException("mqtt.protocol '" + protocol + "' is not one of " + PROTOCOLS);
    sessionExpirySeconds = sessionExpirySeconds == null ? 86_400L : sessionExpirySeconds;
    if (sessionExpirySeconds <= 0 || sessionExpirySeconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("mqtt.session_expiry_seconds must be > 0 (0 makes the broker drop the offline queue), got " + sessionExpirySeconds);
    }
    keepAliveSeconds = keepAliveSeconds == null ? 30 : keepAliveSeconds;
    if (keepAliveSeconds < 0 || keepAliveSeconds > 65535) throw new IllegalArgumentException("mqtt.keep_alive_seconds out of range: " + keepAliveSeconds);
    if (password != null && username == null) throw new IllegalArgumentException("mqtt.password is set but mqtt.username is not");
    if (keystoreFile != null && !tls) throw new IllegalArgumentException("mqtt.keystore_file needs mqtt.tls: true");
    homeassistant = homeassistant == null ? new HomeAssistant(null, null) : homeassistant;
    embedded = embedded == null ? new Embedded(null, null, null) : embedded;
  }

  public static MqttConfig defaults() {
    return new MqttConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** True when the node must start its own broker. */
  public boolean useEmbeddedBroker() {
    return enabled && host == null;
  }

  /** Home Assistant MQTT discovery. */
  public record HomeAssistant(Boolean enabled, String discoveryPrefix) {
    public HomeAssistant {
      enabled = enabled != null && enabled;
      discoveryPrefix = discoveryPrefix == null ? "homeassistant" : discoveryPrefix;
    }
  }

  /**
   * The embedded broker (used when {@code mqtt.host} is absent).
   *
   * @param host interface to listen on (default 127.0.0.1; 0.0.0.0 to serve the network)
   * @param port MQTT TCP port (default 1883)
   * @param websocketPort MQTT over WebSocket port for browsers (default 8083, path /mqtt; 0 disables)
   */
  public record Embedded(String host, Integer port, Integer websocketPort) {
    public Embedded {
      host = host == null ? "127.0.0.1" : host;
      port = port == null ? 1883 : port;
      websocketPort = websocketPort == null ? 8083 : websocketPort;
      if (port < 1 || port > 65535) throw new IllegalArgumentException("mqtt.embedded.port out of range: " + port);
      if (websocketPort < 0 || websocketPort > 65535) throw new IllegalArgumentException("mqtt.embedded.websocket_port out of range: " + websocketPort);
    }
  }
}
