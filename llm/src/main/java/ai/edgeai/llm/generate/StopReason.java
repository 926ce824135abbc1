package ai.edgeai.llm.generate;

/** Why generation ended. The lower-case name is what the CLI and servers report. */
public enum StopReason {
  /** The model produced its end-of-sequence or end-of-turn token. */
  EOS,
  /** The model produced BOS (run.c's stop condition). */
  BOS,
  /** The requested number of tokens was reached. */
  LENGTH,
  /** A stop string appeared in the output. */
  STOP,
  /** The context window is full. */
  CONTEXT,
  /** The caller cancelled (e.g. an HTTP client disconnected). */
  CANCELLED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
