package ai.edgeai.cli.node;

import ai.edgeai.node.EdgeNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Prints the node's events as one line each (and its log lines), for {@code run} and {@code demo}. */
final class EventPrinter implements EdgeNode.Listener {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private final PrintWriter out;
  private final PrintWriter err;
  private final String eventsTopic;

  EventPrinter(PrintWriter out, PrintWriter err, String prefix) {
    this.out = out;
    this.err = err;
    this.eventsTopic = prefix + "/events";
  }

  @Override
  public void published(String topic, byte[] payload) {
    if (!topic.equals(eventsTopic)) return;
    try {
      out.println(format(JSON.readTree(new String(payload, StandardCharsets.UTF_8))));
      out.flush();
    } catch (Exception e) {
      err.println("edgeai: cannot print event: " + e.getMessage());
    }
  }

  static String format(JsonNode e) {
    String now = TIME.format(Instant.now());
    if ("camera".equals(e.path("type").asText())) {
      return now + " camera " + e.path("camera").asText() + " " + e.path("status").asText() + " (" + e.path("reason").asText()
          + ") event_id=" + e.path("event_id").asText();
    }
    JsonNode a = e.path("after");
    return String.format("%s %-6s %-8s %-10s id=%s score=%.2f top=%.2f box=%s zones=%s event_id=%s", now,
        e.path("type").asText(), a.path("label").asText(), a.path("camera").asText(), a.path("id").asText(),
        a.path("score").asDouble(), a.path("top_score").asDouble(), a.path("box"), a.path("current_zones"),
        e.path("event_id").asText());
  }

  @Override
  public void log(String line) {
    err.println("edgeai: " + line);
    err.flush();
  }
}
