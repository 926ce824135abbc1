package ai.edgeai.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Section {@code llm}: defaults for the language-model engine.
 *
 * @param threads worker threads for inference; 0 means one per logical core
 */
public record LlmConfig(int threads) {

  static final LlmConfig DEFAULT = new LlmConfig(0);

  public LlmConfig {
    if (threads < 0 || threads > 1024) {
      throw new IllegalArgumentException(
          "threads: must be between 0 (one per core) and 1024, got " + threads);
    }
  }

  @JsonCreator
  static LlmConfig of(@JsonProperty("threads") Integer threads) {
    return new LlmConfig(threads != null ? threads : DEFAULT.threads);
  }

  /** Threads to use on this machine: the configured count, or the number of logical cores. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
