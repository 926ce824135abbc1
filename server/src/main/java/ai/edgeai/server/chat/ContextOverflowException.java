package ai.edgeai.server.chat;

/** The prompt (after dropping every turn that may be dropped) does not fit the context. */
public final class ContextOverflowException extends IllegalArgumentException {

  private final int promptTokens;
  private final int contextLength;

  public ContextOverflowException(int promptTokens, int reserved, int contextLength) {
    super("the prompt has " + promptTokens + " tokens" + (reserved > 0 ? " and " + reserved + " are reserved for the answer" : "")
        + ", but the context holds " + contextLength);
    this.promptTokens = promptTokens;
    this.contextLength = contextLength;
  }

  public int promptTokens() {
    return promptTokens;
  }

  public int contextLength() {
    return contextLength;
  }
}
