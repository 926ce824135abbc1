package ai.edgeai.llm.tokenizer;

/**
 * How to encode text.
 *
 * @param addSpecial add the BOS/EOS (or CLS/SEP) tokens the vocabulary asks for
 * @param parseSpecial treat control-token text in the input (e.g. {@code <|eot_id|>}) as that token;
 *     user-defined tokens are always matched, as llama.cpp does
 */
public record EncodeOptions(boolean addSpecial, boolean parseSpecial) {

  /** Add BOS (when the vocabulary wants it), do not parse control tokens: a prompt. */
  public static final EncodeOptions DEFAULT = new EncodeOptions(true, false);

  /** Plain text: no BOS/EOS, no control tokens (llama.cpp's tokenizer test vectors). */
  public static final EncodeOptions RAW = new EncodeOptions(false, false);
}
