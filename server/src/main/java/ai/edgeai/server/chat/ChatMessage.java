package ai.edgeai.server.chat;

import java.util.Objects;
import java.util.Set;

/**
 * One turn of a conversation.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text of the turn
 */
public record ChatMessage(String role, String content) {

  public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (!ROLES.contains(role)) throw new IllegalArgumentException("role must be one of " + ROLES.stream().sorted().toList() + ", got '" + role + "'");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
