package ai.edgeai.llm.generate;

/**
 * The outcome of one generation.
 *
 * @param promptIds the prompt as tokens (BOS included when the model adds one)
 * @param generatedIds the new tokens (the stop token excluded)
 * @param text the decoded new text (a matched stop string removed)
 * @param stopReason why it ended
 * @param promptTokensEvaluated prompt tokens actually run through the model (fewer than the prompt when a cache prefix was reused)
 * @param prefillNanos time spent on the prompt
 * @param decodeNanos time spent generating
 */
public record GenerationResult(
    int[] promptIds,
    int[] generatedIds,
    String text,
    StopReason stopReason,
    int promptTokensEvaluated,
    long prefillNanos,
    long decodeNanos) {

  public double prefillTokensPerSecond() {
    return prefillNanos <= 0 ? 0 : promptTokensEvaluated * 1e9 / prefillNanos;
  }

  public double decodeTokensPerSecond() {
    // The first generated token comes out of the prefill pass; decoding produced the rest.
    int n = generatedIds.length - 1;
    return decodeNanos <= 0 || n <= 0 ? 0 : n * 1e9 / decodeNanos;
  }
}
