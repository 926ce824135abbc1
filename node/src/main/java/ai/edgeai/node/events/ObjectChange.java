package ai.edgeai.node.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Frigate-shaped change of a tracked object.
 *
 * @param type {@code new}, {@code update} or {@code end}
 * @param before the object's state as last published (for {@code new}: the same as after)
 * @param after the object's state now
 * @param snapshot a JPEG of the object's best frame when this change brought a better one, else null
 */
public record ObjectChange(String type, ObjectNode before, ObjectNode after, byte[] snapshot) {
  public String label() {
    return after.get("label").asText();
  }

  public String id() {
    return after.get("id").asText();
  }
}
