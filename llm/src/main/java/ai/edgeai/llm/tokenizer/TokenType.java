package ai.edgeai.llm.tokenizer;

/** The kind of a vocabulary entry, as GGUF's {@code tokenizer.ggml.token_type} numbers them. */
public enum TokenType {
  UNDEFINED,
  NORMAL,
  UNKNOWN,
  CONTROL,
  USER_DEFINED,
  UNUSED,
  BYTE;

  /** GGUF code to type; codes outside 1..6 are UNDEFINED, as llama.cpp treats them. */
  public static TokenType fromGguf(int code) {
    return switch (code) {
      case 1 -> NORMAL;
      case 2 -> UNKNOWN;
      case 3 -> CONTROL;
      case 4 -> USER_DEFINED;
      case 5 -> UNUSED;
      case 6 -> BYTE;
      default -> UNDEFINED;
    };
  }

  /** Tokens that text is split on before tokenizing (llama.cpp's special-token cache). */
  boolean isSpecial() {
    return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
  }
}
