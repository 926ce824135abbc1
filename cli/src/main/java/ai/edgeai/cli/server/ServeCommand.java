package ai.edgeai.cli.server;

import ai.edgeai.cli.Main;
import ai.edgeai.node.config.MqttConfig;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.engine.LlmService;
import ai.edgeai.server.http.LlmHttpServer;
import ai.edgeai.server.http.ServerOptions;
import ai.edgeai.server.mqtt.MqttLlmBridge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeai serve}: the OpenAI/Ollama-compatible server (and LLM over MQTT). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a model over HTTP: OpenAI (/v1/chat/completions, /v1/completions, /v1/models) and Ollama",
      "(/api/chat, /api/generate, /api/tags, /api/ps) APIs, a chat page at /, /health and /metrics.",
      "With --mqtt, also answers LLM requests on <prefix>/<node>/llm/request. See docs/server.md."
    })
public final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand Main main;

  @Mixin ChatModelOptions modelOptions = new ChatModelOptions();

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for the network).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "11435", description = "TCP port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "1", description = "Generations that run at once, each with its own KV cache (default ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--queue", paramLabel = "N", defaultValue = "8", description = "Requests that may wait for a slot; more get 429 (default ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:EDGEAI_API_KEY}", description = "Require 'Authorization: Bearer KEY' (default: $EDGEAI_API_KEY, else none).")
  String apiKey;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "4096", description = "Largest max_tokens a request may ask for (default ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--default-max-tokens", paramLabel = "N", defaultValue = "512", description = "max_tokens when a request gives none (default ${DEFAULT-VALUE}).")
  int defaultMaxTokens;

  @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576", description = "Largest request body (default ${DEFAULT-VALUE}).")
  int maxBody;

  @Option(names = "--mqtt", description = "Answer LLM requests over MQTT, on the broker of the configuration's mqtt section.")
  boolean mqtt;

  @Option(names = "--mqtt-prefix", paramLabel = "PREFIX", defaultValue = "edgeai", description = "MQTT topic prefix (default ${DEFAULT-VALUE}).")
  String mqttPrefix;

  @Option(names = "--node", paramLabel = "NAME", description = "This device's name in MQTT topics (default: the host name).")
  String node;

  @Override
  public Integer call() throws Exception {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    ServerOptions options;
    LlmService.Limits limits;
    try {
      options = new ServerOptions(host, port, apiKey, maxBody, maxTokens, Math.min(defaultMaxTokens, maxTokens));
      limits = new LlmService.Limits(parallel, queue);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage());
    }
    long t0 = System.nanoTime();
    ChatModel model = modelOptions.open(cmd);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (LlmService service = new LlmService(model, limits, registry)) {
      err.printf("model %s loaded in %.1f s (context %d, %d slot(s), queue %d, template: %s, backend: edgeai Java engine, %d threads)%n",
          model.name(), (System.nanoTime() - t0) / 1e9, model.contextLength(), parallel, queue,
          model.template().isFallback() ? "ChatML fallback" : "the model's", model.model().threads());
      long w = System.nanoTime();
      service.warmUp();
      err.printf("warmed up in %.2f s; the model stays loaded%n", (System.nanoTime() - w) / 1e9);
      MqttLlmBridge bridge = null;
      try (LlmHttpServer server = LlmHttpServer.start(service, options, registry)) {
        if (mqtt) {
          MqttConfig m = main.config().config().mqtt();
          // Without mqtt.host the node runs its embedded broker; serve connects to that address.
          String host = m.host() != null ? m.host() : m.embedded().host();
          int port = m.host() != null ? m.port() : m.embedded().port();
          String nodeName = node != null ? node : hostName();
          try {
            bridge = MqttLlmBridge.start(new MqttLlmBridge.Config(host, port, mqttPrefix, nodeName), service, options);
          } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
          }
          err.printf("MQTT: requests on %s (broker %s:%d)%n", bridge.config().requestTopic(), host, port);
        }
        err.printf("listening on %s (OpenAI: %s/v1, Ollama: %s/api, chat page: %s/)%s%n", server.baseUrl(), server.baseUrl(), server.baseUrl(), server.baseUrl(),
            options.apiKey() != null ? "; API key required" : "");
        err.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      } finally {
        if (bridge != null) bridge.close();
      }
    }
    return 0;
  }

  private static String hostName() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      int dot = h.indexOf('.');
      return (dot > 0 ? h.substring(0, dot) : h).replaceAll("[/#+]", "_");
    } catch (java.io.IOException e) {
      return "edgeai";
    }
  }
}
