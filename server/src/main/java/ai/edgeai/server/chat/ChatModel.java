package ai.edgeai.server.chat;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.generate.Generator;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.model.ModelFiles;
import ai.edgeai.llm.tokenizer.EncodeOptions;
import ai.edgeai.llm.tokenizer.Tokenizer;
import ai.edgeai.llm.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A loaded model ready for chat: weights, tokenizer, chat template and context size. One instance
 * is shared by every conversation and server slot (each with its own {@link Generator}).
 */
public final class ChatModel implements AutoCloseable {

  /**
   * How to open a model.
   *
   * @param tokenizer llama2.c {@code tokenizer.bin} (required for llama2.c checkpoints, else null)
   * @param threads inference worker threads (≥ 1)
   * @param contextLength context per conversation/slot, 0 = what the file declares, at most 4096
   * @param chatTemplate a Jinja template overriding the file's, or null
   * @param f16Cache keep the KV cache in F16
   */
  public record Options(Path tokenizer, int threads, int contextLength, String chatTemplate, boolean f16Cache) {
    public Options {
      if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      if (contextLength < 0) throw new IllegalArgumentException("context length must be >= 0, got " + contextLength);
    }

    public static Options defaults() {
      return new Options(null, Math.max(1, Runtime.getRuntime().availableProcessors()), 0, null, false);
    }

    public Options withChatTemplate(String t) {
      return new Options(tokenizer, threads, contextLength, t, f16Cache);
    }

    public Options withContextLength(int n) {
      return new Options(tokenizer, threads, n, chatTemplate, f16Cache);
    }

    public Options withTokenizer(Path p) {
      return new Options(p, threads, contextLength, chatTemplate, f16Cache);
    }
  }

  private final String name;
  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final ChatTemplate template;
  private final int contextLength;
  private final boolean f16Cache;
  private final List<String> stopStrings;

  public ChatModel(String name, LlamaModel model, Tokenizer tokenizer, ChatTemplate template, int contextLength, boolean f16Cache) {
    this.name = Objects.requireNonNull(name, "name");
    this.model = Objects.requireNonNull(model, "model");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = Objects.requireNonNull(template, "template");
    if (contextLength < 1) throw new IllegalArgumentException("context length must be >= 1, got " + contextLength);
    this.contextLength = contextLength;
    this.f16Cache = f16Cache;
    // Template markers that are not single control tokens can only be caught as text.
    LinkedHashSet<String> stops = new LinkedHashSet<>();
    for (String s : template.stopStrings()) {
      int id = tokenizer.tokenId(s);
      if (id < 0 || !tokenizer.isControl(id)) stops.add(s);
    }
    this.stopStrings = List.copyOf(stops);
  }

  /** Loads a GGUF file (template from {@code tokenizer.chat_template}, else ChatML) or a llama2.c checkpoint. */
  public static ChatModel open(Path path, Options options) throws IOException {
    if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null, "model file not found");
    boolean gguf = ModelFiles.isGguf(path);
    if (!gguf && options.tokenizer() == null) {
      throw new IllegalArgumentException("a tokenizer.bin is required for llama2.c checkpoints (" + path + " is not a GGUF file)");
    }
    LlamaModel model = LlamaModel.load(path, options.threads());
    try {
      Tokenizer tok;
      String fileTemplate = null;
      if (options.tokenizer() != null) {
        tok = Tokenizers.fromLlama2c(options.tokenizer(), model.config().vocabSize());
      } else {
        try (GgufFile f = GgufFile.open(path)) {
          tok = Tokenizers.fromGguf(f);
          fileTemplate = f.metadata().string("tokenizer.chat_template").orElse(null);
        }
      }
      String bos = tok.bos() >= 0 ? tok.piece(tok.bos()) : "";
      String eos = tok.eos() >= 0 ? tok.piece(tok.eos()) : "";
      String source = options.chatTemplate() != null ? options.chatTemplate() : fileTemplate;
      ChatTemplate template;
      try {
        template = source == null || source.isBlank() ? ChatTemplate.fallback(bos, eos) : ChatTemplate.of(source, bos, eos);
      } catch (TemplateException e) {
        throw new IllegalArgumentException("the chat template of " + path + " cannot be used: " + e.getMessage(), e);
      }
      int ctx = options.contextLength() > 0 ? options.contextLength() : model.defaultContextLength();
      String fileName = path.getFileName().toString();
      String name = fileName.replaceFirst("\\.(gguf|bin)$", "");
      return new ChatModel(name, model, tok, template, ctx, options.f16Cache());
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** The id clients use (the file name without extension). */
  public String name() {
    return name;
  }

  public LlamaModel model() {
    return model;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ChatTemplate template() {
    return template;
  }

  public int contextLength() {
    return contextLength;
  }

  /** Stop strings every chat generation uses (template markers the tokenizer has no control token for). */
  public List<String> templateStopStrings() {
    return stopStrings;
  }

  /** A generator with its own KV cache of {@link #contextLength()} positions. */
  public Generator newGenerator() {
    return new Generator(model, tokenizer, contextLength, f16Cache);
  }

  /** The conversation rendered with the template and tokenized (control-token text becomes the tokens). */
  public int[] chatPrompt(List<ChatMessage> messages) {
    return encodeRendered(template.render(messages, true));
  }

  /** A raw completion prompt: BOS when the vocabulary wants it, no control-token parsing. */
  public int[] completionPrompt(String prompt) {
    int[] ids = tokenizer.encode(prompt, EncodeOptions.DEFAULT);
    return ids.length == 0 ? new int[] {Math.max(0, tokenizer.bos())} : ids;
  }

  int[] encodeRendered(String rendered) {
    // Most templates write bos_token themselves; adding another would give two.
    boolean addBos = tokenizer.addsBos() && !(template.bosToken().length() > 0 && rendered.startsWith(template.bosToken()));
    int[] ids = tokenizer.encode(rendered, new EncodeOptions(addBos, true));
    return ids.length == 0 ? new int[] {Math.max(0, tokenizer.bos())} : ids;
  }

  /** Merges template stop strings with a request's. */
  public List<String> stopStrings(List<String> requested) {
    List<String> out = new ArrayList<>(stopStrings);
    for (String s : requested) if (!out.contains(s)) out.add(s);
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
