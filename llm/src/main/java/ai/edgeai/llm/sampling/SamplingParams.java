package ai.edgeai.llm.sampling;

/**
 * Sampler settings in the llama.cpp/Ollama sense. {@code temperature <= 0} means greedy.
 *
 * @param temperature softmax temperature
 * @param topK keep the k most likely tokens (0 = off)
 * @param topP nucleus threshold (1 = off)
 * @param minP drop tokens below minP × the top probability (0 = off)
 * @param repeatPenalty divide positive / multiply negative logits of recent tokens (1 = off)
 * @param repeatLastN how many recent tokens the penalty looks at
 * @param seed random seed
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty, int repeatLastN, long seed) {

  public SamplingParams {
    if (Float.isNaN(temperature) || temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
    if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
    if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("min_p must be in [0, 1), got " + minP);
    if (!(repeatPenalty > 0)) throw new IllegalArgumentException("repeat_penalty must be > 0, got " + repeatPenalty);
    if (repeatLastN < 0) throw new IllegalArgumentException("repeat_last_n must be >= 0, got " + repeatLastN);
  }

  /** Greedy decoding. */
  public static SamplingParams greedy() {
    return new SamplingParams(0f, 0, 1f, 0f, 1f, 64, 0);
  }

  /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no repeat penalty. */
  public static SamplingParams defaults(long seed) {
    return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 64, seed);
  }

  public SamplingParams withTemperature(float t) {
    return new SamplingParams(t, topK, topP, minP, repeatPenalty, repeatLastN, seed);
  }

  public SamplingParams withTopK(int k) {
    return new SamplingParams(temperature, k, topP, minP, repeatPenalty, repeatLastN, seed);
  }

  public SamplingParams withTopP(float p) {
    return new SamplingParams(temperature, topK, p, minP, repeatPenalty, repeatLastN, seed);
  }

  public SamplingParams withMinP(float p) {
    return new SamplingParams(temperature, topK, topP, p, repeatPenalty, repeatLastN, seed);
  }

  public SamplingParams withRepeatPenalty(float penalty, int lastN) {
    return new SamplingParams(temperature, topK, topP, minP, penalty, lastN, seed);
  }

  public SamplingParams withSeed(long s) {
    return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, repeatLastN, s);
  }
}
