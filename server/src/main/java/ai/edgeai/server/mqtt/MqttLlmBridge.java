package ai.edgeai.server.mqtt;

import ai.edgeai.server.engine.Job;
import ai.edgeai.server.engine.LlmService;
import ai.edgeai.server.engine.Outcome;
import ai.edgeai.server.engine.QueueFullException;
import ai.edgeai.server.http.ApiError;
import ai.edgeai.server.http.ApiRequest;
import ai.edgeai.server.http.ServerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLM requests over MQTT: subscribes to {@code <prefix>/<node>/llm/request} (QoS 1) and answers
 * each JSON request on the MQTT 5 Response Topic (with the request's Correlation Data), or on the
 * request's {@code reply_to} topic for MQTT 3.1.1 clients, or else on
 * {@code <prefix>/<node>/llm/response}. The answer streams as {@code chunk} messages and ends with
 * one {@code done} message carrying the whole text and the usage; a request that cannot be served
 * gets one {@code error} message naming the problem. Requests share the HTTP server's slots, queue
 * and limits.
 */
public final class MqttLlmBridge implements AutoCloseable {

  /**
   * @param host broker host
   * @param port broker port
   * @param prefix topic prefix (e.g. {@code edgeai})
   * @param node this device's name in topics (default: the host name)
   */
  public record Config(String host, int port, String prefix, String node) {
    private static final Pattern TOPIC_LEVEL = Pattern.compile("[^/#+\\u0000]+");

    public Config {
      if (host == null || host.isBlank()) throw new IllegalArgumentException("mqtt host must not be empty");
      if (port < 1 || port > 65535) throw new IllegalArgumentException("mqtt port must be between 1 and 65535, got " + port);
      if (prefix == null || !TOPIC_LEVEL.matcher(prefix.replace("/", "x")).matches()) throw new IllegalArgumentException("mqtt prefix must be a topic without wildcards, got '" + prefix + "'");
      if (node == null || !TOPIC_LEVEL.matcher(node).matches()) throw new IllegalArgumentException("node name must be one topic level without '/', '+' or '#', got '" + node + "'");
    }

    public String requestTopic() {
      return prefix + "/" + node + "/llm/request";
    }

    public String defaultResponseTopic() {
      return prefix + "/" + node + "/llm/response";
    }
  }

  private static final Logger log = LoggerFactory.getLogger(MqttLlmBridge.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Config config;
  private final LlmService service;
  private final ServerOptions limits;
  private final Mqtt5AsyncClient client;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

  private MqttLlmBridge(Config config, LlmService service, ServerOptions limits) {
    this.config = Objects.requireNonNull(config, "config");
    this.service = Objects.requireNonNull(service, "service");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.client = Mqtt5Client.builder()
        .identifier("edgeai-llm-" + config.node() + "-" + Long.toHexString(System.nanoTime() & 0xffffff))
        .serverHost(config.host()).serverPort(config.port())
        .automaticReconnectWithDefaultConfig()
        .buildAsync();
  }

  /** Connects, subscribes and starts answering; fails when the broker cannot be reached within 10 s. */
  public static MqttLlmBridge start(Config config, LlmService service, ServerOptions limits) {
    MqttLlmBridge b = new MqttLlmBridge(config, service, limits);
    // The handler exists before the subscription, so nothing that arrives is lost.
    b.client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, b::onRequest);
    try {
      // A fresh session each start (cleanStart): requests sent while the server was down are stale.
      b.client.connectWith().cleanStart(true).sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS);
      b.client.subscribeWith().topicFilter(config.requestTopic()).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      b.close();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot connect to the MQTT broker at " + config.host() + ":" + config.port() + ": " + cause.getMessage(), cause);
    }
    log.info("answering LLM requests on MQTT topic {}", config.requestTopic());
    return b;
  }

  public Config config() {
    return config;
  }

  private void onRequest(Mqtt5Publish p) {
    workers.submit(() -> {
      try {
        handle(p);
      } catch (RuntimeException e) {
        log.warn("MQTT request on {} failed", p.getTopic(), e);
      }
    });
  }

  private void handle(Mqtt5Publish p) {
    String replyTopic = p.getResponseTopic().map(Object::toString).orElse(null);
    Optional<ByteBuffer> correlation = p.getCorrelationData();
    String id = null;
    JsonNode body = null;
    ApiError problem = null;
    try {
      body = JSON.readTree(p.getPayloadAsBytes());
      if (body == null || !body.isObject()) throw new ApiError(400, "invalid_request_error", "invalid_json", null, "the payload must be a JSON object");
    } catch (java.io.IOException e) {
      problem = new ApiError(400, "invalid_request_error", "invalid_json", null, "the payload on " + p.getTopic() + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    } catch (ApiError e) {
      problem = e;
    }
    if (body != null && body.isObject()) {
      if (body.path("id").isTextual() || body.path("id").isNumber()) id = body.get("id").asText();
      if (replyTopic == null && body.path("reply_to").isTextual()) replyTopic = body.get("reply_to").asText();
    }
    if (replyTopic == null || replyTopic.isEmpty() || replyTopic.contains("#") || replyTopic.contains("+")) replyTopic = config.defaultResponseTopic();
    Replier reply = new Replier(replyTopic, correlation.orElse(null), id);
    if (problem != null) {
      reply.error(problem);
      return;
    }
    try {
      if (id == null) throw ApiError.invalid("id", "'id' is required (a string the replies will carry)");
      ApiRequest r = ApiRequest.mqtt(body, limits);
      Job job = r.toJob(service.model());
      int[] index = {0};
      Outcome o = service.generate(job, text -> {
        if (r.stream()) reply.send(JSON.createObjectNode().put("type", "chunk").put("index", index[0]++).put("text", text));
      }, () -> false);
      ObjectNode done = JSON.createObjectNode().put("type", "done").put("text", o.result().text())
          .put("finish_reason", switch (o.result().stopReason()) {
            case LENGTH, CONTEXT -> "length";
            default -> "stop";
          });
      ObjectNode usage = done.putObject("usage");
      usage.put("prompt_tokens", o.promptTokens()).put("completion_tokens", o.completionTokens()).put("total_tokens", o.promptTokens() + o.completionTokens());
      usage.put("cached_tokens", o.promptTokens() - o.result().promptTokensEvaluated());
      reply.send(done);
    } catch (ApiError e) {
      reply.error(e);
    } catch (QueueFullException e) {
      reply.error(ApiError.queueFull(e.getMessage(), e.retryAfterSeconds()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalArgumentException e) {
      reply.error(ApiError.invalid(null, e.getMessage()));
    }
  }

  /** Publishes the replies of one request, in order, QoS 1. */
  private final class Replier {
    final String topic;
    final ByteBuffer correlation;
    final String id;

    Replier(String topic, ByteBuffer correlation, String id) {
      this.topic = topic;
      this.correlation = correlation;
      this.id = id;
    }

    void send(ObjectNode msg) {
      ObjectNode out = JSON.createObjectNode();
      if (id != null) out.put("id", id);
      out.setAll(msg);
      var b = client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).contentType("application/json").payload(out.toString().getBytes(StandardCharsets.UTF_8));
      if (correlation != null) b.correlationData(correlation.duplicate());
      try {
        // Wait for the PUBACK so chunks stay in order and a broken connection is noticed.
        b.send().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("could not publish the reply to {}: {}", topic, e.toString());
      }
    }

    void error(ApiError e) {
      ObjectNode msg = JSON.createObjectNode().put("type", "error");
      ObjectNode err = msg.putObject("error");
      err.put("message", e.getMessage()).put("type", e.type()).put("code", e.code()).put("param", e.param()).put("status", e.status());
      if (e.retryAfterSeconds() > 0) err.put("retry_after", e.retryAfterSeconds());
      send(msg);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    try {
      client.disconnect().get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // already disconnected
    }
  }
}
