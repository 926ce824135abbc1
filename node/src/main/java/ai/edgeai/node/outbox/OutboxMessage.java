package ai.edgeai.node.outbox;

import java.util.Objects;

/**
 * A message waiting in the outbox.
 *
 * @param seq position in the outbox, increasing in append order (replay order)
 * @param topic MQTT topic
 * @param payload message bytes
 * @param retain MQTT retain flag
 * @param priority eviction class
 */
public record OutboxMessage(long seq, String topic, byte[] payload, boolean retain, Priority priority) {
  public OutboxMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(priority, "priority");
  }
}
