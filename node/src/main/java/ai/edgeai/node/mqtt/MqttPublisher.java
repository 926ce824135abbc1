package ai.edgeai.node.mqtt;

import ai.edgeai.node.config.MqttConfig;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The node's MQTT connection (HiveMQ client): MQTT 5 with a session expiry so the broker keeps
 * the session while the node is away, falling back to 3.1.1 when the broker does not speak 5
 * ({@code protocol: auto}). Reconnects by itself with back-off. {@code <prefix>/available} is
 * the Last Will ({@code offline}, retained) and is set {@code online} on every connect.
 */
public final class MqttPublisher implements AutoCloseable {

  private final MqttConfig cfg;
  private final String clientId;
  private final String availabilityTopic;
  private final Consumer<String> log;
  private final List<Runnable> onConnect = new CopyOnWriteArrayList<>();
  private volatile Mqtt5AsyncClient v5;
  private volatile Mqtt3AsyncClient v3;
  private volatile boolean everConnected;
  private volatile boolean closing;
  private volatile String lastProblem = "not connected yet";

  public MqttPublisher(MqttConfig cfg, String clientId, String availabilityTopic, Consumer<String> log) {
    this.cfg = cfg;
    this.clientId = clientId;
    this.availabilityTopic = availabilityTopic;
    this.log = log;
  }

  /** Runs {@code r} after every (re)connect, after {@code available} was set online. */
  public void onConnect(Runnable r) {
    onConnect.add(r);
  }

  /**
   * Connects, waiting up to {@code waitSeconds} for the first connection. A broker that is merely
   * unreachable is not an error (the node spools to its outbox and keeps retrying); a broker that
   * refuses the credentials or TLS files that cannot be read are.
   *
   * @throws MqttConnectException naming the broker and what is wrong
   */
  public void start(double waitSeconds) {
    MqttClientSslConfig ssl = cfg.tls() ? sslConfig() : null;
    boolean wantV5 = !cfg.protocol().equals("3.1.1");
    if (wantV5) {
      v5 = buildV5(ssl);
      Throwable failure = awaitConnect(v5.connectWith().cleanStart(false)
          .sessionExpiryInterval(cfg.sessionExpirySeconds()).keepAlive(cfg.keepAliveSeconds()).send(), waitSeconds);
      if (failure == null) return;
      if (isAuthFailure(failure)) throw refused(failure);
      if (cfg.protocol().equals("auto") && isProtocolRejection(failure)) {
        log.accept("mqtt: " + describeBroker() + " does not accept MQTT 5 (" + describe(failure) + "), using MQTT 3.1.1");
        Mqtt5AsyncClient old = v5;
        v5 = null;
        old.disconnect();
      } else {
        log.accept("mqtt: " + describeBroker() + " not reachable yet (" + describe(failure) + "); messages are kept in the outbox until it is");
        return;
      }
    }
    v3 = buildV3(ssl);
    Throwable failure = awaitConnect(v3.connectWith().cleanSession(false).keepAlive(cfg.keepAliveSeconds()).send(), waitSeconds);
    if (failure == null) return;
    if (isAuthFailure(failure)) throw refused(failure);
    log.accept("mqtt: " + describeBroker() + " not reachable yet (" + describe(failure) + "); messages are kept in the outbox until it is");
  }

  private Throwable awaitConnect(CompletableFuture<?> f, double waitSeconds) {
    try {
      f.get((long) (waitSeconds * 1000), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException | CompletionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }

  private MqttConnectException refused(Throwable failure) {
    close();
    return new MqttConnectException("MQTT broker " + describeBroker() + " refused the connection: " + describe(failure)
        + (cfg.username() == null ? " (no mqtt.username configured)" : " (mqtt.username '" + cfg.username() + "')"), failure);
  }

  private String describeBroker() {
    return (cfg.tls() ? "mqtts://" : "mqtt://") + cfg.host() + ":" + cfg.port();
  }

  static String describe(Throwable t) {
    if (t instanceof Mqtt5ConnAckException e) return "CONNACK " + e.getMqttMessage().getReasonCode();
    if (t instanceof Mqtt3ConnAckException e) return "CONNACK " + e.getMqttMessage().getReturnCode();
    if (t instanceof TimeoutException) return "no answer in time";
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static boolean isAuthFailure(Throwable t) {
    if (t instanceof Mqtt5ConnAckException e) {
      var rc = e.getMqttMessage().getReasonCode();
      return rc == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD || rc == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED
          || rc == Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD || rc == Mqtt5ConnAckReasonCode.BANNED
          || rc == Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
    }
    if (t instanceof Mqtt3ConnAckException e) {
      var rc = e.getMqttMessage().getReturnCode();
      return rc == Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD || rc == Mqtt3ConnAckReturnCode.NOT_AUTHORIZED
          || rc == Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED;
    }
    return false;
  }

  static boolean isProtocolRejection(Throwable t) {
    if (t instanceof Mqtt5ConnAckException e) {
      return e.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
    }
    // 3.1.1-only brokers answer with a 3.1.1 CONNACK (code 1) the MQTT 5 decoder cannot read,
    // or just close the connection.
    if (t instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException d) {
      return String.valueOf(d.getMessage()).contains("CONNACK");
    }
    return t instanceof ConnectionClosedException;
  }

  private boolean stopReconnecting(MqttClientDisconnectedContext ctx) {
    Throwable cause = ctx.getCause();
    lastProblem = describe(cause);
    if (System.getenv("EDGEAI_DEBUG_MQTT") != null) log.accept("mqtt: disconnected: " + cause);
    if (closing) return true;
    if (!everConnected && (isAuthFailure(cause) || cfg.protocol().equals("auto") && v3 == null && isProtocolRejection(cause))) {
      return true; // start() reports it or falls back
    }
    if (everConnected && isAuthFailure(cause)) {
      log.accept("mqtt: " + describeBroker() + " now refuses the credentials (" + lastProblem + "); retrying");
    }
    return false;
  }

  private Mqtt5AsyncClient buildV5(MqttClientSslConfig ssl) {
    var b = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost(cfg.host()).serverPort(cfg.port())
        .automaticReconnect().initialDelay(250, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS).applyAutomaticReconnect()
        .willPublish().topic(availabilityTopic).payload(bytes("offline")).qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish()
        .addConnectedListener(ctx -> connected())
        .addDisconnectedListener(ctx -> {
          if (stopReconnecting(ctx)) ctx.getReconnector().reconnect(false);
          else if (everConnected) ctx.getReconnector().reconnect(true);
        });
    if (ssl != null) b = b.sslConfig(ssl);
    if (cfg.username() != null) {
      var auth = b.simpleAuth().username(cfg.username());
      if (cfg.password() != null) auth = auth.password(bytes(cfg.password()));
      b = auth.applySimpleAuth();
    }
    return b.buildAsync();
  }

  private Mqtt3AsyncClient buildV3(MqttClientSslConfig ssl) {
    var b = MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost(cfg.host()).serverPort(cfg.port())
        .automaticReconnect().initialDelay(250, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS).applyAutomaticReconnect()
        .willPublish().topic(availabilityTopic).payload(bytes("offline")).qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish()
        .addConnectedListener(ctx -> connected())
        .addDisconnectedListener(ctx -> {
          if (stopReconnecting(ctx)) ctx.getReconnector().reconnect(false);
        });
    if (ssl != null) b = b.sslConfig(ssl);
    if (cfg.username() != null) {
      var auth = b.simpleAuth().username(cfg.username());
      if (cfg.password() != null) auth = auth.password(bytes(cfg.password()));
      b = auth.applySimpleAuth();
    }
    return b.buildAsync();
  }

  private void connected() {
    everConnected = true;
    lastProblem = null;
    publish(availabilityTopic, bytes("online"), 1, true);
    for (Runnable r : onConnect) {
      try {
        r.run();
      } catch (RuntimeException e) {
        log.accept("mqtt: on-connect action failed: " + e);
      }
    }
  }

  /**
   * Subscribes (QoS 0) on every connect, so the subscription exists even when the broker lost the
   * session; {@code handler} gets the payloads.
   */
  public void subscribeOnConnect(String topic, Consumer<byte[]> handler) {
    onConnect(() -> {
      Mqtt5AsyncClient c5 = v5;
      if (c5 != null) {
        c5.subscribeWith().topicFilter(topic).qos(MqttQos.AT_MOST_ONCE).callback(p -> handler.accept(p.getPayloadAsBytes())).send();
        return;
      }
      Mqtt3AsyncClient c3 = v3;
      if (c3 != null) c3.subscribeWith().topicFilter(topic).qos(MqttQos.AT_MOST_ONCE).callback(p -> handler.accept(p.getPayloadAsBytes())).send();
    });
  }

  /** Publishes one message; the future completes when the broker acknowledged it (QoS 1) or it was written (QoS 0). */
  public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
    MqttQos q = qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE;
    Mqtt5AsyncClient c5 = v5;
    if (c5 != null) return c5.publishWith().topic(topic).qos(q).retain(retain).payload(payload).send().thenApply(r -> null);
    Mqtt3AsyncClient c3 = v3;
    if (c3 != null) return c3.publishWith().topic(topic).qos(q).retain(retain).payload(payload).send().thenApply(r -> null);
    return CompletableFuture.failedFuture(new IllegalStateException("MQTT client not started"));
  }

  public boolean isConnected() {
    Mqtt5AsyncClient c5 = v5;
    if (c5 != null) return c5.getState() == MqttClientState.CONNECTED;
    Mqtt3AsyncClient c3 = v3;
    return c3 != null && c3.getState() == MqttClientState.CONNECTED;
  }

  /** "5" or "3.1.1", the protocol in use. */
  public String protocol() {
    return v5 != null ? "5" : v3 != null ? "3.1.1" : "none";
  }

  /** Why the node is not connected, or null when it is. */
  public String lastProblem() {
    return isConnected() ? null : lastProblem;
  }

  /** Sets {@code available} offline (retained) and disconnects cleanly. */
  @Override
  public void close() {
    if (closing) return;
    closing = true;
    try {
      if (isConnected()) publish(availabilityTopic, bytes("offline"), 1, true).get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort: the Last Will covers a failed goodbye only on an unclean disconnect
    }
    try {
      if (v5 != null) v5.disconnect().get(2, TimeUnit.SECONDS);
      else if (v3 != null) v3.disconnect().get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // already disconnected
    }
  }

  private MqttClientSslConfig sslConfig() {
    try {
      var b = MqttClientSslConfig.builder();
      if (cfg.caFile() != null) {
        KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(cfg.caFile()))) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ts.setCertificateEntry("ca" + i++, c);
          if (i == 0) throw new IllegalArgumentException("no certificate in it");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        b = b.trustManagerFactory(tmf);
      }
      if (cfg.keystoreFile() != null) {
        char[] pw = cfg.keystorePassword() == null ? new char[0] : cfg.keystorePassword().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(cfg.keystoreFile()))) {
          ks.load(in, pw);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        b = b.keyManagerFactory(kmf);
      }
      return b.build();
    } catch (Exception e) {
      throw new MqttConnectException("mqtt TLS: cannot use " + (cfg.keystoreFile() != null ? "mqtt.keystore_file '" + cfg.keystoreFile() + "' / " : "")
          + "mqtt.ca_file '" + cfg.caFile() + "': " + e.getMessage(), e);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
