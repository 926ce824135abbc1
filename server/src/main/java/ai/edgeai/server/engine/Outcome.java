package ai.edgeai.server.engine;

import ai.edgeai.llm.generate.GenerationResult;

/**
 * A finished generation with the service's timings.
 *
 * @param result tokens, text, stop reason, prefill/decode times
 * @param queuedNanos time spent waiting for a slot
 * @param timeToFirstTokenNanos from submission to the first streamed text (queue wait included); -1 when nothing was produced
 * @param totalNanos from submission to the end
 * @param slot the slot that ran it
 */
public record Outcome(GenerationResult result, long queuedNanos, long timeToFirstTokenNanos, long totalNanos, int slot) {

  public int promptTokens() {
    return result.promptIds().length;
  }

  public int completionTokens() {
    return result.generatedIds().length;
  }
}
