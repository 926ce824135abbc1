package ai.edgeai.cli.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatAndServeCommandTest {

  static final String MODEL = Path.of("../llm/src/test/resources/llm/gguf/stories260K-f32.gguf").toString();

  @Test
  void chatReadsTurnsFromAPipeAndReusesTheCache(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("conv.json");
    String input = "Once upon a time\nThe dog ran\n/stats\n/save " + saved + "\n/reset\n/stats\n/nonsense\n";
    InputStream old = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
          .execute("chat", "--model", MODEL, "--system", "Tell stories.", "-n", "24", "-t", "0", "--ctx-size", "512");
    } finally {
      System.setIn(old);
    }
    assertEquals(0, exit, err.toString());
    Matcher m = Pattern.compile("turns: 2; prompt tokens: (\\d+), evaluated: (\\d+)").matcher(out.toString());
    assertTrue(m.find(), out.toString());
    int prompt = Integer.parseInt(m.group(1)), evaluated = Integer.parseInt(m.group(2));
    assertTrue(evaluated < prompt, "turn 2 reused turn 1's cache: " + out);
    assertTrue(out.toString().contains("in cache now: 0;"), "after /reset the cache is empty: " + out);
    JsonNode doc = new ObjectMapper().readTree(saved.toFile());
    assertEquals(5, doc.get("messages").size());
    assertEquals("system", doc.at("/messages/0/role").asText());
    assertEquals("The dog ran", doc.at("/messages/3/content").asText());
    assertTrue(err.toString().contains("unknown command /nonsense"), err.toString());
  }

  @Test
  void serveAnswersUntilInterrupted() throws Exception {
    StringWriter err = new StringWriter();
    int[] exit = {-1};
    Thread t = new Thread(() -> exit[0] = Main.newCommandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
        .execute("serve", "--model", MODEL, "--port", "0", "--ctx-size", "256"));
    t.start();
    Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    Matcher m = null;
    for (int i = 0; i < 600 && (m == null || !m.find(0)); i++) {
      Thread.sleep(50);
      m = listening.matcher(err.toString());
    }
    assertTrue(m.find(0), err.toString());
    String base = m.group(1);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":8}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(err.toString().contains("warmed up"), err.toString());
    t.interrupt();
    t.join(10_000);
    assertEquals(1, exit[0], "an interrupted server exits as a runtime failure");
  }
}
