package ai.edgeai.server.engine;

import ai.edgeai.llm.sampling.SamplingParams;
import java.util.List;
import java.util.Objects;

/**
 * One generation the service should run.
 *
 * @param prompt the prompt tokens
 * @param maxTokens the most tokens to generate
 * @param sampling sampler settings
 * @param stop stop strings (the template's markers are added by the service)
 */
public record Job(int[] prompt, int maxTokens, SamplingParams sampling, List<String> stop) {
  public Job {
    Objects.requireNonNull(prompt, "prompt");
    if (prompt.length == 0) throw new IllegalArgumentException("prompt: must have at least one token");
    if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    Objects.requireNonNull(sampling, "sampling");
    stop = stop == null ? List.of() : List.copyOf(stop);
    prompt = prompt.clone();
  }
}
