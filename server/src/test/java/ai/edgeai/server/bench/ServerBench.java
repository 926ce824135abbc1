package ai.edgeai.server.bench;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.generate.GenerationResult;
import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.chat.ChatMessage;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.engine.LlmService;
import ai.edgeai.server.http.LlmHttpServer;
import ai.edgeai.server.http.ServerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: measures what the server adds. Usage: ServerBench MODEL [ctx] [tokens] [reps].
 * (1) decode tokens/s of the engine alone vs streamed through /v1/chat/completions (client side:
 * tokens after the first over the time from the first to the last chunk); (2) time to first token
 * of turns 1..5 of a conversation resent in full each turn, as OpenAI clients do.
 */
public final class ServerBench {

  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Path path = Path.of(args[0]);
    int ctx = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    ChatModel model = ChatModel.open(path, ChatModel.Options.defaults().withContextLength(ctx));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LlmService service = new LlmService(model, new LlmService.Limits(1, 4), registry);
    service.warmUp();
    try (LlmHttpServer server = LlmHttpServer.start(service, ServerOptions.defaults().withPort(0), registry)) {
      List<ChatMessage> msgs = List.of(ChatMessage.user("Once upon a time there was a little robot"));
      int[] prompt = model.chatPrompt(msgs);
      double[] direct = new double[reps], api = new double[reps];
      for (int i = 0; i < reps; i++) {
        // Alternate so load changes on the (shared) machine hit both alike.
        GenerationResult r = model.newGenerator().generate(new GenerationRequest(prompt, tokens, SamplingParams.greedy(), model.stopStrings(List.of()), true), t -> {});
        direct[i] = r.decodeTokensPerSecond();
        ArrayNode m = JSON.createArrayNode();
        m.addObject().put("role", "user").put("content", msgs.get(0).content());
        api[i] = stream(server.baseUrl(), m, tokens)[1];
        System.out.printf("rep %d: direct %.1f tok/s (%d tokens), api %.1f tok/s%n", i, direct[i], r.generatedIds().length, api[i]);
      }
      double d = median(direct), a = median(api);
      System.out.printf("%s: decode median direct %.1f tok/s, through the API %.1f tok/s, overhead %.1f %%%n", model.name(), d, a, 100 * (d - a) / d);

      for (int rep = 0; rep < Math.max(1, reps / 2); rep++) {
        ArrayNode conv = JSON.createArrayNode();
        conv.addObject().put("role", "system").put("content", "Tell stories.");
        StringBuilder line = new StringBuilder();
        for (int turn = 1; turn <= 5; turn++) {
          conv.addObject().put("role", "user").put("content", "And then " + turn + "?");
          double[] res = stream(server.baseUrl(), conv, 32);
          conv.addObject().put("role", "assistant").put("content", lastText);
          line.append(String.format("turn %d: TTFT %.1f ms (prompt %d, cached %d)  ", turn, res[0], (int) res[2], (int) res[3]));
        }
        System.out.println(model.name() + " " + line);
      }
    } finally {
      service.close();
    }
  }

  static String lastText;

  /** Returns {ttft ms, decode tok/s, prompt tokens, cached tokens}. */
  static double[] stream(String base, ArrayNode messages, int maxTokens) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.set("messages", messages);
    body.put("max_tokens", maxTokens).put("temperature", 0).put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
    long first = -1, last = -1;
    JsonNode usage = null;
    StringBuilder text = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String l;
      while ((l = in.readLine()) != null) {
        if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + l);
        if (!l.startsWith("data: ") || l.equals("data: [DONE]")) continue;
        JsonNode c = JSON.readTree(l.substring(6));
        if (c.has("usage")) usage = c.get("usage");
        String piece = c.at("/choices/0/delta/content").asText("");
        if (!piece.isEmpty()) {
          long now = System.nanoTime();
          if (first < 0) first = now;
          last = now;
          text.append(piece);
        }
      }
    }
    lastText = text.toString();
    int n = usage.get("completion_tokens").asInt();
    double rate = last > first && n > 1 ? (n - 1) * 1e9 / (last - first) : 0;
    return new double[] {(first - t0) / 1e6, rate, usage.get("prompt_tokens").asInt(), usage.at("/prompt_tokens_details/cached_tokens").asInt()};
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
