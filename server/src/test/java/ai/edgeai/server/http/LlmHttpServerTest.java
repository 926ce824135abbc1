package ai.edgeai.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.ExternalClients;
import ai.edgeai.server.TestModels;
import ai.edgeai.server.chat.ChatMessage;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.engine.LlmService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LlmHttpServerTest {

  static final String KEY = "sk-edgeai-test";
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<ChatMessage> STORY = List.of(ChatMessage.system("You tell short stories."), ChatMessage.user("Once upon a time"));

  static ChatModel model;
  static LlmService service;
  static LlmHttpServer server;
  static HttpClient http = HttpClient.newHttpClient();
  static String base;

  @BeforeAll
  static void start() throws Exception {
    model = TestModels.stories(512);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    service = new LlmService(model, new LlmService.Limits(1, 4), registry);
    service.warmUp();
    server = LlmHttpServer.start(service, ServerOptions.defaults().withPort(0).withApiKey(KEY).withMaxTokensLimit(400), registry);
    base = server.baseUrl();
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  /** What the engine itself answers, greedily, without the server. */
  static String direct(List<ChatMessage> messages, int maxTokens) {
    String text = model.newGenerator().generate(new GenerationRequest(model.chatPrompt(messages), maxTokens, SamplingParams.greedy(), model.stopStrings(List.of()), true), t -> {}).text();
    assertTrue(text.length() > 8, "the reference answer is substantial: '" + text + "'");
    return text;
  }

  static HttpResponse<String> post(String path, String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (key != null) b.header("Authorization", "Bearer " + key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (key != null) b.header("Authorization", "Bearer " + key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static final String STORY_JSON = "[{\"role\":\"system\",\"content\":\"You tell short stories.\"},{\"role\":\"user\",\"content\":\"Once upon a time\"}]";

  @Test
  void chatCompletionPlainAndStreamedGiveTheEnginesAnswer() throws Exception {
    String expected = direct(STORY, 32);
    HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"" + model.name() + "\",\"messages\":" + STORY_JSON + ",\"max_tokens\":32,\"temperature\":0}", KEY);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("chat.completion", j.get("object").asText());
    assertEquals(expected, j.at("/choices/0/message/content").asText());
    assertEquals("assistant", j.at("/choices/0/message/role").asText());
    JsonNode u = j.get("usage");
    assertEquals(model.chatPrompt(STORY).length, u.get("prompt_tokens").asInt());
    assertEquals(u.get("prompt_tokens").asInt() + u.get("completion_tokens").asInt(), u.get("total_tokens").asInt());
    assertTrue(List.of("stop", "length").contains(j.at("/choices/0/finish_reason").asText()));

    HttpResponse<String> s = post("/v1/chat/completions", "{\"messages\":" + STORY_JSON + ",\"max_tokens\":32,\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}", KEY);
    assertEquals(200, s.statusCode(), s.body());
    assertTrue(s.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    List<String> events = sseData(s.body());
    assertEquals("[DONE]", events.get(events.size() - 1));
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    for (String e : events.subList(0, events.size() - 1)) {
      JsonNode c = JSON.readTree(e);
      assertEquals("chat.completion.chunk", c.get("object").asText());
      if (c.has("usage")) usage = c.get("usage");
      if (c.get("choices").isEmpty()) continue;
      text.append(c.at("/choices/0/delta/content").asText(""));
      if (!c.at("/choices/0/finish_reason").isNull()) finish = c.at("/choices/0/finish_reason").asText();
    }
    assertEquals(expected, text.toString());
    assertEquals(j.at("/choices/0/finish_reason").asText(), finish);
    assertNotNull(usage);
    assertEquals(u.get("completion_tokens").asInt(), usage.get("completion_tokens").asInt());
    assertTrue(events.size() > 4, "streamed in several chunks: " + events.size());
  }

  @Test
  void completionsModelsAndHealth() throws Exception {
    HttpResponse<String> r = post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":20,\"temperature\":0,\"stop\":[\"zzzz\"]}", KEY);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("text_completion", j.get("object").asText());
    String expected = model.newGenerator().generate(new GenerationRequest(model.completionPrompt("Once upon a time"), 20, SamplingParams.greedy(), model.stopStrings(List.of("zzzz")), true), t -> {}).text();
    assertEquals(expected, j.at("/choices/0/text").asText());

    HttpResponse<String> s = post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":20,\"temperature\":0,\"stream\":true}", KEY);
    List<String> events = sseData(s.body());
    assertEquals("[DONE]", events.get(events.size() - 1));
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) text.append(JSON.readTree(e).at("/choices/0/text").asText(""));
    assertEquals(expected, text.toString());

    JsonNode models = JSON.readTree(get("/v1/models", KEY).body());
    assertEquals(model.name(), models.at("/data/0/id").asText());
    JsonNode health = JSON.readTree(get("/health", null).body());
    assertEquals("ok", health.get("status").asText());
    assertTrue(health.get("warm").asBoolean());
    String metrics = get("/metrics", KEY).body();
    for (String name : List.of("edgeai_llm_time_to_first_token_seconds", "edgeai_llm_queue_depth", "edgeai_llm_decode_tokens_per_second", "edgeai_http_requests_total", "edgeai_llm_generated_tokens_total")) {
      assertTrue(metrics.contains(name), name + " in /metrics:\n" + metrics);
    }
    assertTrue(metrics.contains("endpoint=\"v1_completions\",status=\"200\""), metrics);
  }

  @Test
  void ollamaChatStreamsNdjsonEndingWithDone() throws Exception {
    String expected = direct(STORY, 24);
    HttpResponse<String> r = post("/api/chat", "{\"model\":\"" + model.name() + "\",\"messages\":" + STORY_JSON + ",\"options\":{\"temperature\":0,\"num_predict\":24}}", KEY);
    assertEquals(200, r.statusCode(), r.body());
    String[] lines = r.body().strip().split("\n");
    assertTrue(lines.length > 2);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      JsonNode l = JSON.readTree(lines[i]);
      assertEquals(i == lines.length - 1, l.get("done").asBoolean(), "only the last line is done");
      text.append(l.at("/message/content").asText());
      if (l.get("done").asBoolean()) assertTrue(l.get("eval_count").asInt() > 0);
    }
    assertEquals(expected, text.toString());

    JsonNode g = JSON.readTree(post("/api/generate", "{\"prompt\":\"Once upon a time\",\"system\":\"You tell short stories.\",\"stream\":false,\"options\":{\"temperature\":0,\"num_predict\":24}}", KEY).body());
    assertTrue(g.get("done").asBoolean());
    assertEquals(expected, g.get("response").asText());
    assertEquals(model.name(), JSON.readTree(get("/api/tags", KEY).body()).at("/models/0/name").asText());
    assertEquals(model.name(), JSON.readTree(get("/api/ps", KEY).body()).at("/models/0/name").asText());
  }

  @Test
  void curlStreamsServerSentEvents() throws Exception {
    ExternalClients.Result r = ExternalClients.run(List.of("curl", "-sS", "-N", base + "/v1/chat/completions", "-H", "Authorization: Bearer " + KEY,
        "-H", "Content-Type: application/json", "-d", "{\"messages\":" + STORY_JSON + ",\"max_tokens\":16,\"temperature\":0,\"stream\":true}"), null);
    assertEquals(0, r.exitCode(), r.stderr());
    List<String> events = sseData(r.stdout());
    assertEquals("[DONE]", events.get(events.size() - 1));
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) text.append(JSON.readTree(e).at("/choices/0/delta/content").asText(""));
    assertEquals(direct(STORY, 16), text.toString());
  }

  @Test
  void officialOpenAiNpmClient() throws Exception {
    ExternalClients.Result r = ExternalClients.node("openai_client.cjs", base + "/v1", KEY, model.name());
    assertEquals(0, r.exitCode(), r.stderr());
    JsonNode j = JSON.readTree(r.stdout());
    String expected = direct(STORY, 32);
    assertEquals(expected, j.at("/plain/text").asText());
    assertEquals(expected, j.at("/stream/text").asText());
    assertEquals(j.at("/plain/finish").asText(), j.at("/stream/finish").asText());
    assertEquals(j.at("/plain/usage/completion_tokens").asInt(), j.at("/stream/usage/completion_tokens").asInt());
    assertEquals(model.name(), j.at("/models/0").asText());
    assertEquals(404, j.at("/unknownModel/status").asInt());
    assertEquals("model_not_found", j.at("/unknownModel/code").asText());
    assertEquals("model", j.at("/unknownModel/param").asText());
  }

  @Test
  void langChain4jOpenAiChatModel() throws Exception {
    String expected = direct(List.of(ChatMessage.user("Once upon a time")), 24);
    OpenAiChatModel chat = OpenAiChatModel.builder().baseUrl(base + "/v1").apiKey(KEY).modelName(model.name()).temperature(0.0).maxTokens(24).timeout(Duration.ofSeconds(60)).build();
    assertEquals(expected, chat.chat("Once upon a time"));

    OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(base + "/v1").apiKey(KEY).modelName(model.name()).temperature(0.0).maxTokens(24).timeout(Duration.ofSeconds(60)).build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    streaming.chat("Once upon a time", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String text) {
        partial.append(text);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    ChatResponse resp = done.get(60, TimeUnit.SECONDS);
    assertEquals(expected, partial.toString());
    assertEquals(expected, resp.aiMessage().text());
  }

  @Test
  void chatPageStreamsAnAnswerInARealBrowser() throws Exception {
    // The page is public; the API key is typed into its settings. This server needs one, so use a keyless twin.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (LlmHttpServer open = LlmHttpServer.start(service, ServerOptions.defaults().withPort(0).withMaxTokensLimit(400), registry)) {
      ExternalClients.Result r = ExternalClients.node("browser_chat.cjs", open.baseUrl() + "/");
      assertEquals(0, r.exitCode(), r.stderr());
      JsonNode j = JSON.readTree(r.stdout());
      assertEquals(model.name(), j.get("model").asText());
      assertEquals("msg assistant", j.at("/answer/cls").asText(), r.stdout());
      assertFalse(j.at("/answer/text").asText().isBlank(), r.stdout());
      assertTrue(j.at("/answer/chunks").asInt() > 1, "the answer arrived in several chunks: " + r.stdout());
      assertTrue(j.get("stats").asText().startsWith("first token"), r.stdout());
    }
  }

  @Test
  void badRequestsGetTheDocumentedErrorAndTheServerKeepsServing() throws Exception {
    assertError(post("/v1/chat/completions", "{\"messages\": [", KEY), 400, "invalid_json", null);
    assertError(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":" + STORY_JSON + "}", KEY), 404, "model_not_found", "model");
    assertError(post("/v1/chat/completions", "{\"messages\":" + STORY_JSON + ",\"max_tokens\":100000}", KEY), 400, "max_tokens_too_large", "max_tokens");
    assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "story ".repeat(600) + "\"}]}", KEY), 400, "context_length_exceeded", "messages");
    assertError(post("/v1/chat/completions", "{\"messages\":" + STORY_JSON + "}", "sk-wrong"), 401, "invalid_api_key", null);
    assertError(post("/v1/chat/completions", "{\"messages\":" + STORY_JSON + "}", null), 401, "invalid_api_key", null);
    assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", KEY), 400, "invalid_value", "messages[0].role");
    assertError(post("/v1/chat/completions", "{\"messages\":" + STORY_JSON + ",\"temperature\":\"hot\"}", KEY), 400, "invalid_value", "temperature");
    assertError(post("/v1/chat/completions", "{}", KEY), 400, "missing_required_parameter", "messages");
    assertError(post("/v1/chat/completions", "{\"messages\":\"" + "x".repeat(1 << 20) + "\"}", KEY), 413, "request_too_large", null);
    HttpResponse<String> ollama = post("/api/chat", "{\"model\":\"llama3\",\"messages\":" + STORY_JSON + "}", KEY);
    assertEquals(404, ollama.statusCode());
    assertTrue(JSON.readTree(ollama.body()).get("error").asText().contains("'llama3' does not exist"));
    // Still serving.
    HttpResponse<String> ok = post("/v1/chat/completions", "{\"messages\":" + STORY_JSON + ",\"max_tokens\":8,\"temperature\":0}", KEY);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(direct(STORY, 8), JSON.readTree(ok.body()).at("/choices/0/message/content").asText());
  }

  static void assertError(HttpResponse<String> r, int status, String code, String param) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertNotNull(e, r.body());
    assertEquals(code, e.get("code").asText(), r.body());
    if (param == null) assertTrue(e.get("param").isNull(), r.body());
    else assertEquals(param, e.get("param").asText(), r.body());
    assertFalse(e.get("message").asText().isBlank());
    assertFalse(e.get("type").asText().isBlank());
  }

  static List<String> sseData(String body) {
    List<String> out = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.isBlank()) continue;
      assertTrue(event.startsWith("data: "), "SSE event: " + event);
      out.add(event.substring(6));
    }
    return out;
  }
}
