package ai.edgeai.llm.tokenizer;

/**
 * Text to token ids and back. Implementations are immutable and thread-safe; decoding state lives
 * in a {@link TokenDecoder}.
 */
public interface Tokenizer {

  /** Which algorithm the vocabulary uses. */
  enum Kind {
    /** llama2.c {@code tokenizer.bin}, encoded exactly like run.c. */
    LLAMA2C,
    /** GGUF {@code llama}: SentencePiece BPE with scores and byte fallback. */
    SENTENCEPIECE,
    /** GGUF {@code gpt2}: byte-level BPE with merge ranks and a pre-tokenizer regex. */
    BYTE_LEVEL_BPE,
    /** GGUF {@code bert}: WordPiece. */
    WORDPIECE
  }

  Kind kind();

  int[] encode(String text, EncodeOptions options);

  /** Encodes with {@link EncodeOptions#DEFAULT}. */
  default int[] encode(String text) {
    return encode(text, EncodeOptions.DEFAULT);
  }

  int vocabularySize();

  /** The vocabulary entry as stored (e.g. {@code "▁Hello"}, {@code "ĠHello"}, {@code "<0x0A>"}). */
  String piece(int id);

  /**
   * The bytes this token contributes to decoded text: byte tokens give their byte, "▁" and the
   * byte-level alphabet are mapped back, control and unknown tokens give nothing.
   */
  byte[] tokenBytes(int id);

  TokenType tokenType(int id);

  default boolean isControl(int id) {
    return tokenType(id) == TokenType.CONTROL;
  }

  /** Beginning-of-sequence id (CLS for WordPiece), or -1. */
  int bos();

  /** End-of-sequence id (SEP for WordPiece), or -1. */
  int eos();

  /** End-of-turn id for chat models, or -1. */
  int eot();

  /** Whether {@link EncodeOptions#addSpecial()} adds BOS. */
  boolean addsBos();

  /** Whether {@link EncodeOptions#addSpecial()} adds EOS. */
  boolean addsEos();

  /** The id whose stored piece is exactly {@code piece}, or -1. */
  int tokenId(String piece);

  /** A fresh streaming decoder. */
  TokenDecoder newDecoder();

  /** Decodes a whole sequence (the streaming decoder, flushed). */
  default String decode(int... ids) {
    TokenDecoder decoder = newDecoder();
    StringBuilder sb = new StringBuilder();
    for (int id : ids) sb.append(decoder.accept(id));
    return sb.append(decoder.flush()).toString();
  }
}
