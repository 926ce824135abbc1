package ai.edgeai.node;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test subscriber (HiveMQ client, MQTT 5 or 3.1.1) recording every message; persistent session when asked. */
final class Subscriber implements AutoCloseable {

  record Msg(String topic, byte[] payload, boolean retain) {
    String text() {
      return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final List<Msg> received = new ArrayList<>();
  private final Mqtt5AsyncClient v5;
  private final com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient v3;

  Subscriber(int port, boolean persistent, boolean mqtt3, String... filters) throws Exception {
    String id = "test-sub-" + UUID.randomUUID().toString().substring(0, 8);
    if (mqtt3) {
      v5 = null;
      v3 = MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildAsync();
      v3.connectWith().cleanSession(!persistent).send().get(10, TimeUnit.SECONDS);
      for (String f : filters) {
        v3.subscribeWith().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).callback(p -> add(new Msg(p.getTopic().toString(), p.getPayloadAsBytes(), p.isRetain()))).send().get(10, TimeUnit.SECONDS);
      }
    } else {
      v3 = null;
      v5 = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
          .automaticReconnect().initialDelay(200, TimeUnit.MILLISECONDS).maxDelay(1, TimeUnit.SECONDS).applyAutomaticReconnect()
          .buildAsync();
      // Callbacks are registered globally before connecting, so queued messages have a handler on reconnect.
      v5.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL,
          p -> add(new Msg(p.getTopic().toString(), p.getPayloadAsBytes(), p.isRetain())));
      v5.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 600 : 0).send().get(10, TimeUnit.SECONDS);
      for (String f : filters) v5.subscribeWith().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    }
  }

  private synchronized void add(Msg m) {
    received.add(m);
    notifyAll();
  }

  synchronized List<Msg> messages() {
    return new ArrayList<>(received);
  }

  synchronized List<Msg> on(String topic) {
    return received.stream().filter(m -> m.topic().equals(topic)).toList();
  }

  /** Waits until the condition holds on the received list; returns whether it did. */
  synchronized boolean await(Predicate<List<Msg>> condition, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.test(received)) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) return false;
      wait(left);
    }
    return true;
  }

  @Override
  public void close() {
    try {
      if (v5 != null) v5.disconnect().get(3, TimeUnit.SECONDS);
      if (v3 != null) v3.disconnect().get(3, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // broker may be gone
    }
  }
}
