package ai.edgeai.node.mqtt;

/** The broker cannot be used with this configuration (refused credentials, bad TLS files...). */
public final class MqttConnectException extends RuntimeException {
  public MqttConnectException(String message, Throwable cause) {
    super(message, cause);
  }
}
