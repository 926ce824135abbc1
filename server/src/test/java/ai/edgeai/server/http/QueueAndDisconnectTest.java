package ai.edgeai.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.server.TestModels;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.engine.LlmService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One slot, no waiting line, and a model that never stops by itself: the busy paths. */
class QueueAndDisconnectTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String LONG = "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me everything.\"}],\"max_tokens\":1500,\"temperature\":0,\"stream\":true}";
  static ChatModel model;
  static LlmService service;
  static LlmHttpServer server;
  static PrometheusMeterRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    model = TestModels.tinyRandom(2048);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    service = new LlmService(model, new LlmService.Limits(1, 0), registry);
    service.warmUp();
    server = LlmHttpServer.start(service, ServerOptions.defaults().withPort(0).withMaxTokensLimit(1500), registry);
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  /** Opens a streaming request on a raw socket and returns once the first event arrived. */
  static Socket startStream(BufferedReader[] reader) throws Exception {
    Socket s = new Socket("127.0.0.1", server.port());
    byte[] body = LONG.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
    reader[0] = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader[0].readLine()) != null && !line.startsWith("data: ")) {
      // status line and headers
    }
    assertTrue(line != null, "a first event arrived");
    return s;
  }

  static double generated() {
    return registry.get("edgeai_llm_generated_tokens").counter().count();
  }

  @Test
  void fullQueueAnswers429WithRetryAfterAndDisconnectStopsGeneration() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    BufferedReader[] reader = {null};
    double before = generated();
    try (Socket busy = startStream(reader)) {
      // The only slot is generating and nobody may wait: refused at once.
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(429, r.statusCode(), r.body());
      assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow()) >= 1);
      JsonNode e = JSON.readTree(r.body()).get("error");
      assertEquals("queue_full", e.get("code").asText());
      assertEquals("rate_limit_exceeded", e.get("type").asText());
      assertEquals(1, JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("slots_busy").asInt());
    } // the client goes away in the middle of the answer
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (service.busySlots() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(0, service.busySlots(), "the slot is free again");
    double tokens = generated() - before;
    assertTrue(tokens > 0 && tokens < 1500, "generation stopped early when the client left: " + tokens + " of 1500 tokens");
    // And the server serves the next request.
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4,\"temperature\":0}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(4, JSON.readTree(ok.body()).at("/usage/completion_tokens").asInt());
    String metrics = registry.scrape();
    assertTrue(metrics.contains("endpoint=\"v1_chat_completions\",status=\"429\""), metrics);
  }
}
