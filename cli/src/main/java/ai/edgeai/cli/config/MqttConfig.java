package ai.edgeai.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Section {@code mqtt}: the broker edgeai publishes to ({@code doctor} checks it is reachable).
 *
 * @param host broker host name or address
 * @param port broker TCP port
 */
public record MqttConfig(String host, int port) {

  static final MqttConfig DEFAULT = new MqttConfig("127.0.0.1", 1883);

  public MqttConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: must be between 1 and 65535, got " + port);
    }
  }

  @JsonCreator
  static MqttConfig of(@JsonProperty("host") String host, @JsonProperty("port") Integer port) {
    return new MqttConfig(
        host != null ? host : DEFAULT.host, port != null ? port : DEFAULT.port);
  }
}
