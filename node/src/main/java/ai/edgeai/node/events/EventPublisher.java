package ai.edgeai.node.events;

import ai.edgeai.node.outbox.Outbox;
import ai.edgeai.node.outbox.Priority;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Maps the node's messages to topics and hands the QoS 1 ones to the outbox. Topics, with
 * {@code P} the prefix: {@code P/events} (object changes and camera status changes, JSON),
 * {@code P/<camera>/<label>} (live count, retained), {@code P/<camera>/<label>/snapshot} (JPEG,
 * retained), {@code P/<camera>/status} ({@code online}/{@code offline}, retained). Every JSON
 * message gets its own {@code event_id} so consumers can drop duplicates.
 */
public final class EventPublisher {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String prefix;
  private final Outbox outbox; // null when MQTT is disabled
  private final BiConsumer<String, byte[]> listener;

  /**
   * @param listener told of every message after it is in the outbox (printing, tests), may be null
   */
  public EventPublisher(String prefix, Outbox outbox, BiConsumer<String, byte[]> listener) {
    this.prefix = prefix;
    this.outbox = outbox;
    this.listener = listener == null ? (t, p) -> {} : listener;
  }

  public String prefix() {
    return prefix;
  }

  public void objectChange(ObjectChange c) {
    ObjectNode msg = JSON.createObjectNode();
    msg.put("event_id", newEventId());
    msg.put("type", c.type());
    msg.set("before", c.before());
    msg.set("after", c.after());
    send(prefix + "/events", bytes(msg), false, Priority.HIGH);
    if (c.snapshot() != null) {
      send(prefix + "/" + c.after().get("camera").asText() + "/" + c.label() + "/snapshot", c.snapshot(), true, Priority.LOW);
    }
  }

  public void count(String camera, String label, int count) {
    send(prefix + "/" + camera + "/" + label, Integer.toString(count).getBytes(StandardCharsets.US_ASCII), true, Priority.NORMAL);
  }

  /** A camera went online or offline: the retained status and an event saying why. */
  public void cameraStatus(String camera, boolean online, String reason, double time) {
    send(prefix + "/" + camera + "/status", (online ? "online" : "offline").getBytes(StandardCharsets.US_ASCII), true, Priority.HIGH);
    ObjectNode msg = JSON.createObjectNode();
    msg.put("event_id", newEventId());
    msg.put("type", "camera");
    msg.put("camera", camera);
    msg.put("status", online ? "online" : "offline");
    msg.put("reason", reason);
    msg.put("time", time);
    send(prefix + "/events", bytes(msg), false, Priority.HIGH);
  }

  private void send(String topic, byte[] payload, boolean retain, Priority priority) {
    if (outbox != null) outbox.append(topic, payload, retain, priority);
    listener.accept(topic, payload);
  }

  public static String newEventId() {
    return UUID.randomUUID().toString();
  }

  public static byte[] bytes(ObjectNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
