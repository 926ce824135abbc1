package ai.edgeai.cli.doctor;

import ai.edgeai.cli.config.EdgeaiConfig;
import ai.edgeai.node.config.MqttConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The configured MQTT broker accepts a TCP connection and answers an MQTT 3.1.1 CONNECT with a
 * CONNACK. A bare port check would also pass for anything else listening there.
 */
final class MqttBrokerCheck implements OptionalCheck {

  static final int TIMEOUT_MILLIS = 700;

  @Override
  public String name() {
    return "mqtt-broker";
  }

  @Override
  public CheckResult run(EdgeaiConfig config) {
    MqttConfig mqtt = config.mqtt();
    // Without mqtt.host the node serves itself with its embedded broker: check where that listens.
    boolean embedded = mqtt.useEmbeddedBroker();
    String host = embedded ? mqtt.embedded().host() : mqtt.host();
    int port = embedded ? mqtt.embedded().port() : mqtt.port();
    String where = host + ":" + port;
    String fix = embedded
        ? "no mqtt.host is configured, so 'edgeai run' starts its embedded broker at " + where
            + " (nothing to do); to use another broker set mqtt.host / mqtt.port in edgeai.yaml"
        : "start a broker (sudo apt-get install mosquitto && mosquitto -d) or set mqtt.host / mqtt.port in edgeai.yaml";
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(connectPacket("edgeai-doctor-" + ProcessHandle.current().pid()));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int type = in.readUnsignedByte();
      int length = in.readUnsignedByte();
      if (type != 0x20 || length != 2) {
        return CheckResult.failed(name(), where + " answered, but not with an MQTT CONNACK",
            "check that " + where + " is an MQTT broker; " + fix);
      }
      in.readUnsignedByte(); // session-present flag
      int returnCode = in.readUnsignedByte();
      out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
      out.flush();
      if (returnCode != 0) {
        return CheckResult.failed(name(),
            "broker at " + where + " refused the connection (CONNACK code " + returnCode + ")",
            "check mqtt.username / mqtt.password in edgeai.yaml (doctor connects anonymously; "
                + "the node uses the configured credentials)");
      }
      return CheckResult.ok(name(), "MQTT broker at " + where + " accepted a connection");
    } catch (UnknownHostException e) {
      return CheckResult.failed(name(), "unknown host " + host, fix);
    } catch (ConnectException e) {
      return CheckResult.failed(name(), "nothing accepts connections at " + where, fix);
    } catch (SocketTimeoutException e) {
      return CheckResult.failed(name(), where + " did not answer within " + TIMEOUT_MILLIS + " ms",
          fix);
    } catch (EOFException e) {
      return CheckResult.failed(name(), where + " closed the connection without a CONNACK", fix);
    } catch (IOException e) {
      return CheckResult.failed(name(), "cannot reach " + where + ": " + e.getMessage(), fix);
    }
  }

  /** MQTT 3.1.1 CONNECT, clean session, 10 s keep-alive. */
  static byte[] connectPacket(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 10});
    body.write(id.length >> 8);
    body.write(id.length & 0xFF);
    body.writeBytes(id);
    if (body.size() > 127) {
      throw new IllegalArgumentException("client id too long for a one-byte remaining length");
    }
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    packet.write(body.size());
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }
}
