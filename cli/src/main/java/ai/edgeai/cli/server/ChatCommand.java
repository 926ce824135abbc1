package ai.edgeai.cli.server;

import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.chat.ChatMessage;
import ai.edgeai.server.chat.ChatModel;
import ai.edgeai.server.chat.ContextOverflowException;
import ai.edgeai.server.chat.Conversation;
import ai.edgeai.server.chat.TemplateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code edgeai chat}: a conversation in the terminal, reusing the KV cache across turns. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat with a model. Answers stream as they are generated; each turn only evaluates what is new.",
      "Commands: /reset, /system TEXT, /save FILE, /stats, /help, /exit.",
      "Reads one user turn per line from standard input when it is not a terminal."
    })
public final class ChatCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ChatModelOptions modelOptions = new ChatModelOptions();

  @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.")
  String system;

  @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "512", description = "Most tokens per answer (default ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = {"-t", "--temperature"}, paramLabel = "X", defaultValue = "0.8", description = "Temperature; 0 is greedy (default ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = {"-s", "--seed"}, paramLabel = "S", description = "Random seed (default: the current time).")
  Long seed;

  @Option(names = "--stop", paramLabel = "TEXT", description = "Also stop when this text appears (repeatable).")
  List<String> stop = new ArrayList<>();

  private int turns;
  private long promptTokens;
  private long evaluatedTokens;
  private long generatedTokens;
  private double lastDecodeRate;
  private double lastPrefillSeconds;

  @Override
  public Integer call() throws Exception {
    CommandLine cmd = spec.commandLine();
    if (maxTokens < 1) throw new CommandLine.ParameterException(cmd, "-n must be >= 1, got " + maxTokens);
    SamplingParams sampling;
    try {
      sampling = SamplingParams.defaults(seed != null ? seed : System.currentTimeMillis()).withTemperature(temperature);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage());
    }
    PrintWriter out = cmd.getOut();
    PrintWriter err = cmd.getErr();
    Console console = System.console();
    boolean terminal = console != null && console.isTerminal();
    try (ChatModel model = modelOptions.open(cmd)) {
      Conversation c = new Conversation(model);
      c.setSystem(system);
      if (terminal) {
        err.printf("%s: context %d, template %s. /help for commands, /exit or Ctrl-D to leave.%n", model.name(), model.contextLength(),
            model.template().isFallback() ? "ChatML fallback" : "from the model");
      }
      BufferedReader pipe = terminal ? null : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (true) {
        // On a terminal the console reads in the terminal's line mode (editing with backspace, Ctrl-U, ...).
        String line = terminal ? console.readLine("> ") : pipe.readLine();
        if (line == null) break;
        line = line.strip();
        if (line.isEmpty()) continue;
        if (line.startsWith("/")) {
          if (!command(line, c, out, err)) break;
          continue;
        }
        try {
          Conversation.Reply r = c.send(line, maxTokens, sampling, stop, text -> {
            out.print(text);
            out.flush();
          }, () -> false);
          out.println();
          out.flush();
          record(r);
          if (r.droppedMessages() > 0) err.printf("(the context was full: the %d oldest messages were dropped; the system prompt stays)%n", r.droppedMessages());
        } catch (ContextOverflowException | TemplateException e) {
          err.println("edgeai: error: " + e.getMessage());
        }
      }
    }
    return 0;
  }

  private void record(Conversation.Reply r) {
    turns++;
    promptTokens += r.result().promptIds().length;
    evaluatedTokens += r.result().promptTokensEvaluated();
    generatedTokens += r.result().generatedIds().length;
    lastDecodeRate = r.result().decodeTokensPerSecond();
    lastPrefillSeconds = r.result().prefillNanos() / 1e9;
  }

  /** Runs a slash command; false means leave. */
  private boolean command(String line, Conversation c, PrintWriter out, PrintWriter err) throws IOException {
    String[] parts = line.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    switch (parts[0]) {
      case "/exit", "/quit", "/bye" -> {
        return false;
      }
      case "/reset" -> {
        c.reset();
        err.println("(conversation cleared)");
      }
      case "/system" -> {
        c.setSystem(arg);
        err.println(arg.isEmpty() ? "(system prompt removed)" : "(system prompt set)");
      }
      case "/save" -> {
        if (arg.isEmpty()) {
          err.println("edgeai: error: /save needs a file name");
          return true;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode().put("model", c.model().name());
        var arr = doc.putArray("messages");
        for (ChatMessage m : c.messages()) arr.addObject().put("role", m.role()).put("content", m.content());
        Files.writeString(Path.of(arg), json.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
        err.println("(saved " + c.messages().size() + " messages to " + arg + ")");
      }
      case "/stats" -> out.printf("turns: %d; prompt tokens: %d, evaluated: %d (the rest came from the KV cache); generated: %d; in cache now: %d; "
          + "dropped messages: %d; last turn: prefill %.3f s, decode %.1f tok/s%n", turns, promptTokens, evaluatedTokens, generatedTokens,
          c.cachedTokens(), c.droppedMessages(), lastPrefillSeconds, lastDecodeRate);
      case "/help" -> out.println("/reset  forget the conversation\n/system TEXT  set the system prompt (empty: remove)\n/save FILE  write the conversation as JSON\n/stats  tokens and speed\n/exit  leave");
      default -> err.println("edgeai: error: unknown command " + parts[0] + " (/help lists them)");
    }
    out.flush();
    return true;
  }
}
