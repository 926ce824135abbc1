package ai.edgeai.server.http;

import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.chat.ChatMessage;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.chat.TemplateException;
import ai.edgeai.server.engine.Job;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A generation request from any front end, validated. Either {@code messages} (rendered with the
 * chat template) or {@code prompt} (raw text) is set.
 *
 * @param model the model the client named, or null
 * @param messages the conversation, or null for a raw prompt
 * @param prompt raw prompt text, or null
 * @param maxTokens tokens to generate at most
 * @param sampling sampler settings
 * @param stop the client's stop strings
 * @param stream stream the answer
 * @param includeUsage OpenAI's {@code stream_options.include_usage}
 */
public record ApiRequest(String model, List<ChatMessage> messages, String prompt, int maxTokens, SamplingParams sampling, List<String> stop, boolean stream, boolean includeUsage) {

  /** The parameter names of one API dialect. */
  record Dialect(String maxTokens, String temperature, String topP, String topK, String seed, String stop, boolean streamDefault, String optionsPrefix) {}

  static final Dialect OPENAI = new Dialect("max_tokens", "temperature", "top_p", "top_k", "seed", "stop", false, "");
  static final Dialect OLLAMA = new Dialect("num_predict", "temperature", "top_p", "top_k", "seed", "stop", true, "options.");

  /** OpenAI {@code /v1/chat/completions}. */
  static ApiRequest openAiChat(JsonNode body, ServerOptions limits) {
    return new ApiRequest(model(body), messages(body.get("messages"), "messages"), null,
        maxTokens(firstPresent(body, "max_completion_tokens", "max_tokens"), body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", limits),
        sampling(body, OPENAI), stop(body.get("stop"), "stop"), bool(body.get("stream"), "stream", false),
        body.path("stream_options").path("include_usage").asBoolean(false));
  }

  /** OpenAI {@code /v1/completions}. */
  static ApiRequest openAiCompletion(JsonNode body, ServerOptions limits) {
    JsonNode p = body.get("prompt");
    if (p == null || p.isNull()) throw ApiError.missing("prompt");
    String prompt;
    if (p.isTextual()) prompt = p.asText();
    else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) prompt = p.get(0).asText();
    else throw ApiError.invalid("prompt", "'prompt' must be a string (or an array of one string)");
    return new ApiRequest(model(body), null, prompt, maxTokens(body.get("max_tokens"), "max_tokens", limits), sampling(body, OPENAI),
        stop(body.get("stop"), "stop"), bool(body.get("stream"), "stream", false), body.path("stream_options").path("include_usage").asBoolean(false));
  }

  /** Ollama {@code /api/chat}: parameters under {@code options}, streaming by default. */
  static ApiRequest ollamaChat(JsonNode body, ServerOptions limits) {
    JsonNode opts = options(body);
    return new ApiRequest(model(body), messages(body.get("messages"), "messages"), null, maxTokens(opts.get("num_predict"), "options.num_predict", limits),
        sampling(opts, OLLAMA), stop(opts.get("stop"), "options.stop"), bool(body.get("stream"), "stream", true), false);
  }

  /** Ollama {@code /api/generate}: {@code prompt} (+ {@code system}) through the template unless {@code raw}. */
  static ApiRequest ollamaGenerate(JsonNode body, ServerOptions limits) {
    JsonNode opts = options(body);
    JsonNode p = body.get("prompt");
    if (p == null || p.isNull()) throw ApiError.missing("prompt");
    if (!p.isTextual()) throw ApiError.invalid("prompt", "'prompt' must be a string");
    boolean raw = bool(body.get("raw"), "raw", false);
    List<ChatMessage> messages = null;
    String prompt = null;
    if (raw) prompt = p.asText();
    else {
      messages = new ArrayList<>();
      JsonNode sys = body.get("system");
      if (sys != null && !sys.isNull()) {
        if (!sys.isTextual()) throw ApiError.invalid("system", "'system' must be a string");
        messages.add(ChatMessage.system(sys.asText()));
      }
      messages.add(ChatMessage.user(p.asText()));
    }
    return new ApiRequest(model(body), messages, prompt, maxTokens(opts.get("num_predict"), "options.num_predict", limits), sampling(opts, OLLAMA),
        stop(opts.get("stop"), "options.stop"), bool(body.get("stream"), "stream", true), false);
  }

  /** An MQTT request: {@code messages} or {@code prompt}, parameters at the top level or under {@code params}. */
  public static ApiRequest mqtt(JsonNode body, ServerOptions limits) {
    JsonNode params = body.has("params") ? body.get("params") : body;
    if (!params.isObject()) throw ApiError.invalid("params", "'params' must be an object");
    List<ChatMessage> messages = null;
    String prompt = null;
    if (body.has("messages")) messages = messages(body.get("messages"), "messages");
    else if (body.path("prompt").isTextual()) prompt = body.get("prompt").asText();
    else throw ApiError.missing("messages");
    return new ApiRequest(model(body), messages, prompt, maxTokens(params.get("max_tokens"), "max_tokens", limits), sampling(params, OPENAI),
        stop(params.get("stop"), "stop"), bool(params.get("stream"), "stream", true), true);
  }

  private static JsonNode options(JsonNode body) {
    JsonNode o = body.get("options");
    if (o == null || o.isNull()) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    if (!o.isObject()) throw ApiError.invalid("options", "'options' must be an object");
    return o;
  }

  private static JsonNode firstPresent(JsonNode body, String a, String b) {
    JsonNode n = body.get(a);
    return n != null && !n.isNull() ? n : body.get(b);
  }

  private static String model(JsonNode body) {
    JsonNode m = body.get("model");
    if (m == null || m.isNull()) return null;
    if (!m.isTextual()) throw ApiError.invalid("model", "'model' must be a string");
    return m.asText();
  }

  static List<ChatMessage> messages(JsonNode arr, String field) {
    if (arr == null || arr.isNull()) throw ApiError.missing(field);
    if (!arr.isArray() || arr.isEmpty()) throw ApiError.invalid(field, "'" + field + "' must be a non-empty array of messages");
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode m = arr.get(i);
      String at = field + "[" + i + "]";
      if (!m.isObject()) throw ApiError.invalid(at, "'" + at + "' must be an object with 'role' and 'content'");
      JsonNode role = m.get("role");
      if (role == null || !role.isTextual()) throw ApiError.invalid(at + ".role", "'" + at + ".role' must be a string");
      String r = role.asText().equals("developer") ? "system" : role.asText();
      if (!ChatMessage.ROLES.contains(r)) throw ApiError.invalid(at + ".role", "'" + at + ".role' must be one of system, user, assistant, tool; got '" + role.asText() + "'");
      out.add(new ChatMessage(r, content(m.get("content"), at + ".content")));
    }
    return out;
  }

  /** A string, or OpenAI's array of content parts of which only {@code text} parts are understood. */
  private static String content(JsonNode c, String at) {
    if (c == null || c.isNull()) return "";
    if (c.isTextual()) return c.asText();
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : c) {
        if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
          throw ApiError.invalid(at, "'" + at + "' parts must be {\"type\": \"text\", \"text\": ...}; this model reads text only");
        }
        sb.append(part.get("text").asText());
      }
      return sb.toString();
    }
    throw ApiError.invalid(at, "'" + at + "' must be a string");
  }

  private static int maxTokens(JsonNode n, String field, ServerOptions limits) {
    if (n == null || n.isNull()) return limits.defaultMaxTokens();
    if (!n.canConvertToInt() || !n.isIntegralNumber()) throw ApiError.invalid(field, "'" + field + "' must be an integer");
    int v = n.asInt();
    if (v == -1 && field.endsWith("num_predict")) return limits.maxTokensLimit(); // Ollama: -1 = as much as allowed
    if (v < 1) throw ApiError.invalid(field, "'" + field + "' must be >= 1, got " + v);
    if (v > limits.maxTokensLimit()) {
      throw new ApiError(400, "invalid_request_error", "max_tokens_too_large", field, "'" + field + "' is " + v + ", this server allows at most " + limits.maxTokensLimit());
    }
    return v;
  }

  private static SamplingParams sampling(JsonNode o, Dialect d) {
    long seed = ThreadLocalRandom.current().nextLong();
    SamplingParams p = SamplingParams.defaults(seed);
    String pre = d.optionsPrefix();
    JsonNode t = o.get(d.temperature());
    if (t != null && !t.isNull()) {
      double v = number(t, pre + d.temperature());
      if (v < 0 || v > 2) throw ApiError.invalid(pre + d.temperature(), "'" + pre + d.temperature() + "' must be between 0 and 2, got " + v);
      p = p.withTemperature((float) v);
    }
    JsonNode tp = o.get(d.topP());
    if (tp != null && !tp.isNull()) {
      double v = number(tp, pre + d.topP());
      if (!(v > 0 && v <= 1)) throw ApiError.invalid(pre + d.topP(), "'" + pre + d.topP() + "' must be in (0, 1], got " + v);
      p = p.withTopP((float) v);
    }
    JsonNode tk = o.get(d.topK());
    if (tk != null && !tk.isNull()) {
      if (!tk.isIntegralNumber() || tk.asInt() < 0) throw ApiError.invalid(pre + d.topK(), "'" + pre + d.topK() + "' must be an integer >= 0");
      p = p.withTopK(tk.asInt());
    }
    JsonNode s = o.get(d.seed());
    if (s != null && !s.isNull()) {
      if (!s.isIntegralNumber()) throw ApiError.invalid(pre + d.seed(), "'" + pre + d.seed() + "' must be an integer");
      p = p.withSeed(s.asLong());
    }
    return p;
  }

  private static double number(JsonNode n, String field) {
    if (!n.isNumber()) throw ApiError.invalid(field, "'" + field + "' must be a number");
    return n.asDouble();
  }

  private static boolean bool(JsonNode n, String field, boolean dflt) {
    if (n == null || n.isNull()) return dflt;
    if (!n.isBoolean()) throw ApiError.invalid(field, "'" + field + "' must be true or false");
    return n.asBoolean();
  }

  private static List<String> stop(JsonNode n, String field) {
    if (n == null || n.isNull()) return List.of();
    List<String> out = new ArrayList<>();
    if (n.isTextual()) out.add(n.asText());
    else if (n.isArray()) {
      for (JsonNode s : n) {
        if (!s.isTextual()) throw ApiError.invalid(field, "'" + field + "' must be a string or an array of strings");
        out.add(s.asText());
      }
    } else throw ApiError.invalid(field, "'" + field + "' must be a string or an array of strings");
    if (out.size() > 16) throw ApiError.invalid(field, "'" + field + "' may hold at most 16 strings");
    for (String s : out) if (s.isEmpty()) throw ApiError.invalid(field, "'" + field + "' must not contain empty strings");
    return out;
  }

  /** Checks the model name against {@code model} and turns the request into prompt tokens that fit the context. */
  public Job toJob(ChatModel model) {
    ApiRequest r = this;
    if (r.model() != null && !r.model().isEmpty() && !r.model().equals(model.name()) && !r.model().equals(model.name() + ":latest")) {
      throw new ApiError(404, "invalid_request_error", "model_not_found", "model", "the model '" + r.model() + "' does not exist; this server serves '" + model.name() + "'");
    }
    int[] prompt;
    String field = r.messages() != null ? "messages" : "prompt";
    try {
      prompt = r.messages() != null ? model.chatPrompt(r.messages()) : model.completionPrompt(r.prompt());
    } catch (TemplateException e) {
      throw ApiError.invalid("messages", (e.raisedByTemplate() ? "the model's chat template refuses these messages: " : "") + e.getMessage());
    }
    if (prompt.length >= model.contextLength()) {
      throw new ApiError(400, "invalid_request_error", "context_length_exceeded", field,
          "the prompt has " + prompt.length + " tokens, but the context holds " + model.contextLength() + " (including the answer)");
    }
    return new Job(prompt, r.maxTokens(), r.sampling(), r.stop());
  }

}
