package ai.edgeai.server.http;

import ai.edgeai.llm.generate.StopReason;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.engine.Job;
import ai.edgeai.server.engine.LlmService;
import ai.edgeai.server.engine.Outcome;
import ai.edgeai.server.engine.QueueFullException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI- and Ollama-compatible HTTP front end of an {@link LlmService}, with a chat page at
 * {@code /}, {@code /health} and Prometheus {@code /metrics}. Requests run on virtual threads;
 * generation itself is bounded by the service's slots and queue.
 */
public final class LlmHttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LlmHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LlmService service;
  private final ChatModel model;
  private final ServerOptions options;
  private final PrometheusMeterRegistry registry;
  private final byte[] apiKeyDigest;
  private final long startedAt = Instant.now().getEpochSecond();
  private final String chatPage;
  private final Javalin app;

  private LlmHttpServer(LlmService service, ServerOptions options, PrometheusMeterRegistry registry) {
    this.service = Objects.requireNonNull(service, "service");
    this.model = service.model();
    this.options = Objects.requireNonNull(options, "options");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.apiKeyDigest = options.apiKey() == null ? null : sha256(options.apiKey());
    this.chatPage = resource("/ai/edgeai/server/http/chat.html");
    this.app = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = options.maxBodyBytes() + 1L;
      config.jetty.host = options.host();
      config.jetty.port = options.port();
      config.routes.get("/", endpoint("page", false, this::page));
      config.routes.get("/health", endpoint("health", false, this::health));
      config.routes.get("/metrics", endpoint("metrics", true, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape())));
      config.routes.get("/v1/models", endpoint("v1_models", true, this::models));
      config.routes.post("/v1/chat/completions", endpoint("v1_chat_completions", true, ctx -> openAi(ctx, true)));
      config.routes.post("/v1/completions", endpoint("v1_completions", true, ctx -> openAi(ctx, false)));
      config.routes.post("/api/chat", endpoint("api_chat", true, ctx -> ollama(ctx, true)));
      config.routes.post("/api/generate", endpoint("api_generate", true, ctx -> ollama(ctx, false)));
      config.routes.get("/api/tags", endpoint("api_tags", true, this::tags));
      config.routes.get("/api/ps", endpoint("api_ps", true, this::ps));
      config.routes.get("/api/version", endpoint("api_version", true, ctx -> ctx.json(JSON.createObjectNode().put("version", "0.1.0-edgeai"))));
    });
  }

  /** Starts listening; the service should already be warm. */
  public static LlmHttpServer start(LlmService service, ServerOptions options, PrometheusMeterRegistry registry) {
    LlmHttpServer s = new LlmHttpServer(service, options, registry);
    s.app.start();
    return s;
  }

  public int port() {
    return app.port();
  }

  public String baseUrl() {
    String h = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    if (h.equals("0.0.0.0")) h = "127.0.0.1";
    return "http://" + h + ":" + port();
  }

  @Override
  public void close() {
    app.stop();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Body {
    void handle(Context ctx) throws Exception;
  }

  /** Wraps a handler: API key, errors in the dialect's shape, and the requests-by-status counter. */
  private Handler endpoint(String name, boolean authenticated, Body body) {
    boolean ollama = name.startsWith("api_");
    return ctx -> {
      try {
        if (authenticated) authenticate(ctx);
        body.handle(ctx);
      } catch (ApiError e) {
        writeError(ctx, e, ollama);
      } catch (Exception e) {
        log.warn("{} failed", name, e);
        writeError(ctx, new ApiError(500, "server_error", "internal_error", null, "internal error: " + e.getMessage()), ollama);
      } finally {
        Counter.builder("edgeai_http_requests").description("HTTP requests by endpoint and status")
            .tag("endpoint", name).tag("status", String.valueOf(ctx.statusCode())).register(registry).increment();
      }
    };
  }

  private void authenticate(Context ctx) {
    if (apiKeyDigest == null) return;
    String h = ctx.header("Authorization");
    String given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : "";
    // Digests have a fixed length, so the comparison time tells nothing about the key.
    if (!MessageDigest.isEqual(apiKeyDigest, sha256(given))) {
      throw new ApiError(401, "invalid_request_error", "invalid_api_key", null,
          given.isEmpty() ? "missing API key: send 'Authorization: Bearer <key>'" : "incorrect API key provided");
    }
  }

  private static void writeError(Context ctx, ApiError e, boolean ollama) {
    if (ctx.res().isCommitted()) return; // a stream already reported it in-band
    ObjectNode body = JSON.createObjectNode();
    if (ollama) body.put("error", e.getMessage());
    else {
      ObjectNode err = body.putObject("error");
      err.put("message", e.getMessage());
      err.put("type", e.type);
      err.put("param", e.param);
      err.put("code", e.code);
    }
    if (e.retryAfterSeconds > 0) ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds));
    ctx.status(e.status).contentType("application/json").result(body.toString());
  }

  private JsonNode readJson(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > options.maxBodyBytes()) throw tooLarge();
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes(options.maxBodyBytes() + 1);
    }
    if (bytes.length > options.maxBodyBytes()) throw tooLarge();
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "invalid_request_error", "invalid_json", null, "the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
    }
    if (n == null || !n.isObject()) throw new ApiError(400, "invalid_request_error", "invalid_json", null, "the body must be a JSON object");
    return n;
  }

  private ApiError tooLarge() {
    return new ApiError(413, "invalid_request_error", "request_too_large", null, "the body is larger than this server accepts (" + options.maxBodyBytes() + " bytes)");
  }

  private Job prepare(ApiRequest r) {
    return r.toJob(model);
  }

  private Outcome run(Job job, ai.edgeai.llm.generate.Generator.TextListener listener, AtomicBoolean gone) throws InterruptedException {
    try {
      return service.generate(job, listener, gone::get);
    } catch (QueueFullException e) {
      throw ApiError.queueFull(e.getMessage(), e.retryAfterSeconds());
    }
  }

  /**
   * Writes a streaming response from its own virtual thread, so the generating thread only hands
   * over text: whatever accumulated while the previous write was on the wire goes out in one
   * write and flush. A failed write means the client went away, which cancels generation.
   */
  private static final class Stream {
    private static final String END = new String("end");
    final OutputStream out;
    final AtomicBoolean gone = new AtomicBoolean();
    private final java.util.concurrent.LinkedBlockingQueue<String> pending = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Thread writer;

    Stream(Context ctx, String contentType) throws IOException {
      ctx.status(200);
      ctx.res().setContentType(contentType);
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      out = ctx.res().getOutputStream();
      writer = Thread.ofVirtual().name("edgeai-stream").start(this::drain);
    }

    void write(String s) {
      if (!gone.get()) pending.add(s);
    }

    private void drain() {
      StringBuilder batch = new StringBuilder();
      boolean end = false;
      while (!end) {
        try {
          String first = pending.take();
          batch.setLength(0);
          for (String s = first; s != null; s = pending.poll()) {
            if (s == END) {
              end = true;
              break;
            }
            batch.append(s);
          }
        } catch (InterruptedException e) {
          return;
        }
        if (gone.get() || batch.isEmpty()) continue;
        try {
          out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
          out.flush();
        } catch (IOException e) {
          gone.set(true);
        }
      }
    }

    /** Sends what is pending and waits for it to be written. */
    void finish() throws InterruptedException {
      pending.add(END);
      writer.join();
    }
  }

  static String finishReason(StopReason r) {
    return switch (r) {
      case LENGTH, CONTEXT -> "length";
      default -> "stop";
    };
  }

  // ---- OpenAI ---------------------------------------------------------------------------------

  private void openAi(Context ctx, boolean chat) throws Exception {
    JsonNode body = readJson(ctx);
    ApiRequest r = chat ? ApiRequest.openAiChat(body, options) : ApiRequest.openAiCompletion(body, options);
    Job job = prepare(r);
    String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    long created = Instant.now().getEpochSecond();
    String object = chat ? "chat.completion" : "text_completion";
    if (!r.stream()) {
      StringBuilder text = new StringBuilder();
      Outcome o = run(job, text::append, new AtomicBoolean());
      ObjectNode res = JSON.createObjectNode();
      res.put("id", id).put("object", object).put("created", created).put("model", model.name());
      ObjectNode choice = res.putArray("choices").addObject();
      choice.put("index", 0);
      if (chat) choice.putObject("message").put("role", "assistant").put("content", o.result().text());
      else choice.put("text", o.result().text());
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason(o.result().stopReason()));
      res.set("usage", usage(o));
      ctx.contentType("application/json").result(res.toString());
      return;
    }
    // Queue admission happens in run(): a full queue must still answer 429, so the stream's headers wait for the first text.
    Stream[] stream = {null};
    AtomicBoolean gone = new AtomicBoolean();
    Runnable open = () -> {
      if (stream[0] != null) return;
      try {
        stream[0] = new Stream(ctx, "text/event-stream; charset=utf-8");
      } catch (IOException e) {
        gone.set(true);
        return;
      }
      if (chat) stream[0].write(sse(chunk(id, object + ".chunk", created, JSON.createObjectNode().put("role", "assistant").put("content", ""), null, true)));
    };
    Outcome o;
    try {
      o = run(job, text -> {
        open.run();
        if (stream[0] == null) return;
        ObjectNode c = chunk(id, chat ? "chat.completion.chunk" : object, created, chat ? JSON.createObjectNode().put("content", text) : null, null, chat);
        if (!chat) ((ObjectNode) c.get("choices").get(0)).put("text", text);
        stream[0].write(sse(c));
        if (stream[0].gone.get()) gone.set(true);
      }, gone);
    } catch (RuntimeException | InterruptedException e) {
      if (stream[0] != null) stream[0].finish();
      throw e;
    }
    open.run();
    if (stream[0] == null) return;
    if (gone.get()) {
      stream[0].finish();
      return;
    }
    String reason = finishReason(o.result().stopReason());
    ObjectNode last = chunk(id, chat ? "chat.completion.chunk" : object, created, chat ? JSON.createObjectNode() : null, reason, chat);
    if (!chat) ((ObjectNode) last.get("choices").get(0)).put("text", "");
    stream[0].write(sse(last));
    if (r.includeUsage()) {
      ObjectNode u = JSON.createObjectNode();
      u.put("id", id).put("object", chat ? "chat.completion.chunk" : object).put("created", created).put("model", model.name());
      u.putArray("choices");
      u.set("usage", usage(o));
      stream[0].write(sse(u));
    }
    stream[0].write("data: [DONE]\n\n");
    stream[0].finish();
    if (o.result().stopReason() == StopReason.CANCELLED) log.info("client went away; generation stopped after {} tokens", o.completionTokens());
  }

  private ObjectNode chunk(String id, String object, long created, ObjectNode delta, String finish, boolean chat) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", id).put("object", object).put("created", created).put("model", model.name());
    ObjectNode choice = c.putArray("choices").addObject();
    choice.put("index", 0);
    if (chat) choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finish == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finish);
    return c;
  }

  private static String sse(JsonNode n) {
    return "data: " + n + "\n\n";
  }

  private static ObjectNode usage(Outcome o) {
    ObjectNode u = JSON.createObjectNode();
    u.put("prompt_tokens", o.promptTokens());
    u.put("completion_tokens", o.completionTokens());
    u.put("total_tokens", o.promptTokens() + o.completionTokens());
    u.putObject("prompt_tokens_details").put("cached_tokens", o.promptTokens() - o.result().promptTokensEvaluated());
    return u;
  }

  private void models(Context ctx) {
    ObjectNode res = JSON.createObjectNode().put("object", "list");
    res.putArray("data").addObject().put("id", model.name()).put("object", "model").put("created", startedAt).put("owned_by", "edgeai");
    ctx.json(res);
  }

  // ---- Ollama ---------------------------------------------------------------------------------

  private void ollama(Context ctx, boolean chat) throws Exception {
    JsonNode body = readJson(ctx);
    ApiRequest r = chat ? ApiRequest.ollamaChat(body, options) : ApiRequest.ollamaGenerate(body, options);
    Job job = prepare(r);
    String name = r.model() != null && !r.model().isEmpty() ? r.model() : model.name();
    if (!r.stream()) {
      StringBuilder text = new StringBuilder();
      Outcome o = run(job, text::append, new AtomicBoolean());
      ctx.contentType("application/json").result(ollamaFinal(name, chat, o, o.result().text()).toString());
      return;
    }
    Stream[] stream = {null};
    AtomicBoolean gone = new AtomicBoolean();
    Outcome o;
    try {
      o = run(job, text -> {
        if (stream[0] == null) {
          try {
            stream[0] = new Stream(ctx, "application/x-ndjson");
          } catch (IOException e) {
            gone.set(true);
            return;
          }
        }
        ObjectNode line = JSON.createObjectNode().put("model", name).put("created_at", Instant.now().toString());
        if (chat) line.putObject("message").put("role", "assistant").put("content", text);
        else line.put("response", text);
        line.put("done", false);
        stream[0].write(line + "\n");
        if (stream[0].gone.get()) gone.set(true);
      }, gone);
    } catch (RuntimeException | InterruptedException e) {
      if (stream[0] != null) stream[0].finish();
      throw e;
    }
    if (stream[0] == null) stream[0] = new Stream(ctx, "application/x-ndjson");
    stream[0].write(ollamaFinal(name, chat, o, "") + "\n");
    stream[0].finish();
  }

  private ObjectNode ollamaFinal(String name, boolean chat, Outcome o, String text) {
    ObjectNode n = JSON.createObjectNode().put("model", name).put("created_at", Instant.now().toString());
    if (chat) n.putObject("message").put("role", "assistant").put("content", text);
    else n.put("response", text);
    n.put("done", true);
    n.put("done_reason", o.result().stopReason() == StopReason.LENGTH || o.result().stopReason() == StopReason.CONTEXT ? "length" : "stop");
    n.put("total_duration", o.totalNanos());
    n.put("load_duration", 0);
    n.put("prompt_eval_count", o.result().promptTokensEvaluated());
    n.put("prompt_eval_duration", o.result().prefillNanos());
    n.put("eval_count", o.completionTokens());
    n.put("eval_duration", o.result().decodeNanos());
    return n;
  }

  private ObjectNode modelEntry() {
    ObjectNode m = JSON.createObjectNode();
    long size = 0;
    try {
      size = model.model().path() != null ? Files.size(model.model().path()) : 0;
    } catch (IOException ignored) {
      // size stays 0
    }
    m.put("name", model.name()).put("model", model.name()).put("size", size).put("digest", "");
    ObjectNode d = m.putObject("details");
    d.put("format", "gguf").put("family", "llama");
    d.putArray("families").add("llama");
    d.put("parameter_size", String.format("%.1fM", model.model().parameterCount() / 1e6));
    return m;
  }

  private void tags(Context ctx) {
    ObjectNode res = JSON.createObjectNode();
    ObjectNode m = modelEntry();
    m.put("modified_at", Instant.ofEpochSecond(startedAt).toString());
    res.putArray("models").add(m);
    ctx.json(res);
  }

  private void ps(Context ctx) {
    ObjectNode res = JSON.createObjectNode();
    ArrayNode arr = res.putArray("models");
    ObjectNode m = modelEntry();
    // Loaded for the server's life: it never expires.
    m.put("expires_at", "9999-12-31T23:59:59Z").put("size_vram", 0);
    arr.add(m);
    ctx.json(res);
  }

  // ---- page and health -----------------------------------------------------------------------

  private void page(Context ctx) {
    ctx.contentType("text/html; charset=utf-8").result(chatPage.replace("{{MODEL}}", model.name()));
  }

  private void health(Context ctx) {
    ObjectNode h = JSON.createObjectNode();
    h.put("status", service.isWarm() ? "ok" : "loading");
    h.put("model", model.name());
    h.put("context_length", model.contextLength());
    h.put("slots", service.limits().slots());
    h.put("slots_busy", service.busySlots());
    h.put("queue_depth", service.queueDepth());
    h.put("queue_size", service.limits().queueSize());
    h.put("warm", service.isWarm());
    h.put("backend", "edgeai java (" + model.model().threads() + " threads)");
    ctx.json(h);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String path) {
    try (InputStream in = LlmHttpServer.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
