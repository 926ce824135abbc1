package ai.edgeai.llm.tokenizer;

import ai.edgeai.llm.gguf.GgufArray;
import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufValueType;
import ai.edgeai.llm.gguf.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Creates the tokenizer a model file describes. */
public final class Tokenizers {

  static final String MODEL = "tokenizer.ggml.model";
  static final String PRE = "tokenizer.ggml.pre";
  static final String TOKENS = "tokenizer.ggml.tokens";
  static final String SCORES = "tokenizer.ggml.scores";
  static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
  static final String MERGES = "tokenizer.ggml.merges";

  /** Texts llama.cpp recognises as end-of-turn when the file names no eot id. */
  private static final List<String> EOT_TEXTS =
      List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>",
          "<｜end▁of▁sentence｜>", "<end_of_utterance>");

  /** End-of-generation texts llama.cpp forces to control type (so plain text never matches them). */
  private static final Set<String> EOG_TEXTS = Set.of(
      "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>",
      "<｜end▁of▁sentence｜>", "<end_of_utterance>");

  private Tokenizers() {}

  /** The tokenizer of an open GGUF file (vocabulary-only files work). */
  public static Tokenizer fromGguf(GgufFile file) {
    return fromGguf(file.metadata(), file.path());
  }

  public static Tokenizer fromGguf(GgufMetadata metadata) {
    return fromGguf(metadata, null);
  }

  /**
   * The tokenizer that {@code tokenizer.ggml.*} describes: {@code llama} (SentencePiece),
   * {@code gpt2} (byte-level BPE, with the pre-tokenizer {@code tokenizer.ggml.pre} names) or
   * {@code bert} (WordPiece). Any other model or pre-tokenizer is a {@link ModelFormatException}
   * naming the key; {@code file} is only used in messages.
   */
  public static Tokenizer fromGguf(GgufMetadata metadata, Path file) {
    String model = metadata.getString(MODEL);
    GgufArray tokenArray = metadata.getArray(TOKENS);
    if (tokenArray.elementType() != GgufValueType.STRING) metadata.getStringArray(TOKENS); // throws: wrong type
    if (tokenArray.length() == 0) throw new ModelFormatException(file, "metadata key '" + TOKENS + "' is empty");
    // token by token: the 128 K strings of a Llama 3 file never live at once
    Pieces tokens = new Pieces(tokenArray.length(), i -> {
      String piece = tokenArray.getString(i);
      return piece.isEmpty() ? "[EMPTY_" + i + "]" : piece; // as llama.cpp, so no piece is ""
    });
    TokenType[] types = new TokenType[tokens.size()];
    if (metadata.contains(TOKEN_TYPE)) {
      int[] codes = metadata.getIntArray(TOKEN_TYPE);
      requireLength(file, TOKEN_TYPE, codes.length, tokens.size());
      for (int i = 0; i < codes.length; i++) types[i] = TokenType.fromGguf(codes[i]);
    } else {
      java.util.Arrays.fill(types, TokenType.NORMAL);
    }
    return switch (model) {
      case "llama" -> {
        float[] scores = metadata.contains(SCORES) ? metadata.getFloatArray(SCORES) : new float[tokens.size()];
        requireLength(file, SCORES, scores.length, tokens.size());
        Vocabulary vocab = vocabulary(metadata, tokens, types, 1, 2, 0, true, false);
        yield new SentencePieceTokenizer(vocab, scores, metadata.getBool("tokenizer.ggml.add_space_prefix", true));
      }
      case "gpt2" -> {
        String pre = metadata.contains(PRE) ? metadata.getString(PRE) : "default";
        PreTokenizer.Flavor flavor = PreTokenizer.FLAVORS.get(pre);
        if (flavor == null) {
          throw new ModelFormatException(file, "metadata key '" + PRE + "' = '" + pre
              + "' is a pre-tokenizer this engine does not implement (supported: "
              + String.join(", ", new java.util.TreeSet<>(PreTokenizer.FLAVORS.keySet())) + ")");
        }
        if (!metadata.contains(MERGES)) throw new ModelFormatException(file, "missing required metadata key '" + MERGES + "'");
        GgufArray merges = metadata.getArray(MERGES);
        if (merges.elementType() != GgufValueType.STRING) metadata.getStringArray(MERGES); // throws: wrong type
        Vocabulary vocab = vocabulary(metadata, tokens, types, 11, 11, -1, flavor.addBos(), false);
        // merge by merge: the 280 K strings of a Llama 3 file never live at once
        var ranks = new ByteLevelBpeTokenizer.Merges(vocab, merges.length(), merges::getString);
        yield new ByteLevelBpeTokenizer(vocab, ranks, new PreTokenizer(flavor));
      }
      case "bert" -> {
        // llama.cpp's WordPiece defaults: [CLS]=101 opens, [SEP]=102 closes, [UNK]=100
        int cls = metadata.contains("tokenizer.ggml.cls_token_id")
            ? metadata.getTokenId("tokenizer.ggml.cls_token_id")
            : metadata.contains("tokenizer.ggml.bos_token_id") ? metadata.getTokenId("tokenizer.ggml.bos_token_id") : 101;
        int sep = metadata.contains("tokenizer.ggml.seperator_token_id")
            ? metadata.getTokenId("tokenizer.ggml.seperator_token_id") : 102;
        int unk = metadata.contains("tokenizer.ggml.unknown_token_id")
            ? metadata.getTokenId("tokenizer.ggml.unknown_token_id") : 100;
        yield new WordPieceTokenizer(new Vocabulary(tokens, types, cls, sep, -1, unk, true, true, Set.of(), Set.of()));
      }
      default -> throw new ModelFormatException(file, "metadata key '" + MODEL + "' = '" + model
          + "' is a tokenizer this engine does not implement (supported: llama, gpt2, bert)");
    };
  }

  private static boolean isAny(Pieces tokens, int id, java.util.Collection<String> texts) {
    for (String text : texts) if (tokens.is(id, text)) return true;
    return false;
  }

  private static void requireLength(Path file, String key, int length, int tokens) {
    if (length != tokens) {
      throw new ModelFormatException(file, "metadata key '" + key + "' has " + length + " entries but '"
          + TOKENS + "' has " + tokens);
    }
  }

  private static Vocabulary vocabulary(
      GgufMetadata metadata, Pieces tokens, TokenType[] types, int defaultBos, int defaultEos, int defaultUnk,
      boolean defaultAddBos, boolean defaultAddEos) {
    int bos = metadata.contains("tokenizer.ggml.bos_token_id") ? metadata.getTokenId("tokenizer.ggml.bos_token_id") : defaultBos;
    int eos = metadata.contains("tokenizer.ggml.eos_token_id") ? metadata.getTokenId("tokenizer.ggml.eos_token_id") : defaultEos;
    int unk = metadata.contains("tokenizer.ggml.unknown_token_id") ? metadata.getTokenId("tokenizer.ggml.unknown_token_id") : defaultUnk;
    int eot = metadata.getTokenId("tokenizer.ggml.eot_token_id");
    if (eot < 0 || eot >= tokens.size()) {
      eot = -1;
      for (int i = 0; i < tokens.size() && eot < 0; i++) {
        if (isAny(tokens, i, EOT_TEXTS)) eot = i;
      }
    }
    // llama.cpp makes end-of-turn/generation tokens that are not marked as control control tokens
    if (eot >= 0) types[eot] = TokenType.CONTROL;
    for (int i = 0; i < tokens.size(); i++) if (isAny(tokens, i, EOG_TEXTS)) types[i] = TokenType.CONTROL;
    boolean addBos = metadata.getBool("tokenizer.ggml.add_bos_token", defaultAddBos);
    boolean addEos = metadata.getBool("tokenizer.ggml.add_eos_token", defaultAddEos);
    // llama.cpp: Phi-3 swallows whitespace after its special tokens (except <unk>, <s>, <|endoftext|>)
    Set<Integer> rstrip = new HashSet<>();
    String name = metadata.contains("general.name") ? metadata.getString("general.name").toLowerCase(Locale.ROOT) : "";
    if (name.contains("phi-3") || name.contains("phi3")) {
      for (int i = 0; i < tokens.size(); i++) {
        if (types[i].isSpecial() || tokens.is(i, "</s>")) rstrip.add(i);
      }
      for (String keep : List.of("<unk>", "<s>", "<|endoftext|>")) {
        for (int i = 0; i < tokens.size(); i++) if (tokens.is(i, keep)) rstrip.remove(i);
      }
    }
    return new Vocabulary(tokens, types, bos, eos, eot, unk, addBos, addEos, rstrip, Set.of());
  }

  /** A llama2.c tokenizer.bin, read to its end. */
  public static Llama2cTokenizer fromLlama2c(Path tokenizerBin) throws IOException {
    return Llama2cTokenizer.read(tokenizerBin, 0);
  }

  /** A llama2.c tokenizer.bin with the checkpoint's vocabulary size, as run.c reads it. */
  public static Llama2cTokenizer fromLlama2c(Path tokenizerBin, int vocabularySize) throws IOException {
    return Llama2cTokenizer.read(tokenizerBin, vocabularySize);
  }
}
