package ai.edgeai.server.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.TestModels;
import ai.edgeai.server.chat.ChatMessage;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.engine.LlmService;
import ai.edgeai.server.http.ServerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Round trips through the real Mosquitto on 127.0.0.1:1883 (scripts/lib/prepare.sh starts it). */
class MqttLlmBridgeTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String PREFIX = "edgeai-test-" + UUID.randomUUID().toString().substring(0, 8);
  static ChatModel model;
  static LlmService service;
  static MqttLlmBridge bridge;

  @BeforeAll
  static void start() throws Exception {
    model = TestModels.stories(512);
    service = new LlmService(model, new LlmService.Limits(1, 8), new SimpleMeterRegistry());
    bridge = MqttLlmBridge.start(new MqttLlmBridge.Config("127.0.0.1", 1883, PREFIX, "pi5"), service, ServerOptions.defaults().withMaxTokensLimit(256));
  }

  @AfterAll
  static void stop() {
    bridge.close();
    service.close();
  }

  static String expected(int maxTokens) {
    List<ChatMessage> msgs = List.of(ChatMessage.user("Once upon a time"));
    return model.newGenerator().generate(new GenerationRequest(model.chatPrompt(msgs), maxTokens, SamplingParams.greedy(), model.stopStrings(List.of()), true), t -> {}).text();
  }

  /** Collects replies until a done or error message. */
  static List<JsonNode> until(Mqtt5BlockingClient.Mqtt5Publishes publishes, List<Mqtt5Publish> raw) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      Mqtt5Publish p = publishes.receive(30, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no reply within 30 s"));
      raw.add(p);
      JsonNode n = JSON.readTree(p.getPayloadAsBytes());
      out.add(n);
      String type = n.get("type").asText();
      if (type.equals("done") || type.equals("error")) return out;
    }
  }

  @Test
  void mqtt5RequestIsAnsweredOnTheResponseTopicWithCorrelationData() throws Exception {
    Mqtt5BlockingClient c = Mqtt5Client.builder().identifier("test5-" + UUID.randomUUID()).serverHost("127.0.0.1").serverPort(1883).buildBlocking();
    c.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
      String replyTopic = PREFIX + "/client/replies";
      c.subscribeWith().topicFilter(replyTopic).qos(MqttQos.AT_LEAST_ONCE).send();
      byte[] corr = {1, 2, 3, 42};
      c.publishWith().topic(PREFIX + "/pi5/llm/request").qos(MqttQos.AT_LEAST_ONCE).responseTopic(replyTopic).correlationData(corr)
          .payload("{\"id\":\"req-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"params\":{\"max_tokens\":24,\"temperature\":0}}".getBytes(StandardCharsets.UTF_8))
          .send();
      List<Mqtt5Publish> raw = new ArrayList<>();
      List<JsonNode> replies = until(publishes, raw);
      JsonNode done = replies.get(replies.size() - 1);
      assertEquals("done", done.get("type").asText(), done.toString());
      StringBuilder chunks = new StringBuilder();
      for (int i = 0; i < replies.size() - 1; i++) {
        assertEquals("chunk", replies.get(i).get("type").asText());
        assertEquals(i, replies.get(i).get("index").asInt());
        chunks.append(replies.get(i).get("text").asText());
      }
      String want = expected(24);
      assertTrue(replies.size() > 2, "streamed: " + replies.size());
      assertEquals(want, chunks.toString());
      assertEquals(want, done.get("text").asText());
      assertEquals("req-1", done.get("id").asText());
      assertTrue(done.at("/usage/completion_tokens").asInt() > 0);
      for (Mqtt5Publish p : raw) {
        assertEquals(MqttQos.AT_LEAST_ONCE, p.getQos());
        ByteBuffer cd = p.getCorrelationData().orElseThrow();
        byte[] got = new byte[cd.remaining()];
        cd.get(got);
        assertArrayEquals(corr, got);
      }

      // Malformed requests get an error reply naming the problem, and the bridge carries on.
      c.publishWith().topic(PREFIX + "/pi5/llm/request").qos(MqttQos.AT_LEAST_ONCE).responseTopic(replyTopic).payload("{not json".getBytes(StandardCharsets.UTF_8)).send();
      JsonNode bad = until(publishes, new ArrayList<>()).get(0);
      assertEquals("error", bad.get("type").asText());
      assertEquals("invalid_json", bad.at("/error/code").asText());
      c.publishWith().topic(PREFIX + "/pi5/llm/request").qos(MqttQos.AT_LEAST_ONCE).responseTopic(replyTopic)
          .payload("{\"id\":\"req-2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"params\":{\"max_tokens\":100000}}".getBytes(StandardCharsets.UTF_8)).send();
      JsonNode tooMany = until(publishes, new ArrayList<>()).get(0);
      assertEquals("req-2", tooMany.get("id").asText());
      assertEquals("max_tokens", tooMany.at("/error/param").asText());
      c.publishWith().topic(PREFIX + "/pi5/llm/request").qos(MqttQos.AT_LEAST_ONCE).responseTopic(replyTopic)
          .payload("{\"id\":\"req-3\"}".getBytes(StandardCharsets.UTF_8)).send();
      assertEquals("messages", until(publishes, new ArrayList<>()).get(0).at("/error/param").asText());
      c.publishWith().topic(PREFIX + "/pi5/llm/request").qos(MqttQos.AT_LEAST_ONCE).responseTopic(replyTopic)
          .payload("{\"id\":\"req-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"params\":{\"max_tokens\":24,\"temperature\":0,\"stream\":false}}".getBytes(StandardCharsets.UTF_8)).send();
      List<JsonNode> again = until(publishes, new ArrayList<>());
      assertEquals(1, again.size(), "stream=false: only the final message");
      assertEquals(want, again.get(0).get("text").asText());
    } finally {
      c.disconnect();
    }
  }

  @Test
  void mqtt311ClientGetsTheAnswerOnReplyTo() throws Exception {
    Mqtt3BlockingClient c = Mqtt3Client.builder().identifier("test3-" + UUID.randomUUID()).serverHost("127.0.0.1").serverPort(1883).buildBlocking();
    c.connect();
    try (Mqtt3BlockingClient.Mqtt3Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
      String replyTo = PREFIX + "/v3client/answers";
      c.subscribeWith().topicFilter(replyTo).qos(MqttQos.AT_LEAST_ONCE).send();
      c.publishWith().topic(PREFIX + "/pi5/llm/request").qos(MqttQos.AT_LEAST_ONCE)
          .payload(("{\"id\":7,\"reply_to\":\"" + replyTo + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"params\":{\"max_tokens\":16,\"temperature\":0}}").getBytes(StandardCharsets.UTF_8))
          .send();
      StringBuilder chunks = new StringBuilder();
      JsonNode last;
      do {
        last = JSON.readTree(publishes.receive(30, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
        assertEquals("7", last.get("id").asText());
        if (last.get("type").asText().equals("chunk")) chunks.append(last.get("text").asText());
      } while (last.get("type").asText().equals("chunk"));
      assertEquals("done", last.get("type").asText(), last.toString());
      assertEquals(expected(16), last.get("text").asText());
      assertEquals(last.get("text").asText(), chunks.toString());
    } finally {
      c.disconnect();
    }
  }
}
