package ai.edgeai.llm.generate;

import ai.edgeai.llm.sampling.SamplingParams;
import java.util.List;
import java.util.Objects;

/**
 * What to generate.
 *
 * @param promptIds the prompt as tokens
 * @param maxNewTokens the most tokens to generate
 * @param sampling sampler settings
 * @param stop stop strings (generation ends when the text contains one; it is not returned)
 * @param stopOnEos end at the tokenizer's EOS/EOT
 */
public record GenerationRequest(int[] promptIds, int maxNewTokens, SamplingParams sampling, List<String> stop, boolean stopOnEos) {

  public GenerationRequest {
    Objects.requireNonNull(promptIds, "promptIds");
    if (promptIds.length == 0) throw new IllegalArgumentException("the prompt must have at least one token");
    if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
    Objects.requireNonNull(sampling, "sampling");
    stop = stop == null ? List.of() : List.copyOf(stop);
    for (String s : stop) if (s.isEmpty()) throw new IllegalArgumentException("stop strings must not be empty");
    promptIds = promptIds.clone();
  }

  public static GenerationRequest of(int[] promptIds, int maxNewTokens, SamplingParams sampling) {
    return new GenerationRequest(promptIds, maxNewTokens, sampling, List.of(), true);
  }
}
