package ai.edgeai.llm.sampling;

import java.util.Arrays;

/**
 * llama2.c run.c's sampler, reproduced exactly: xorshift64* random numbers
 * ({@code random_u32}, {@code random_f32 = (u32 >>> 8) / 16777216f}), temperature, softmax, and
 * either sampling from the full distribution or run.c's top-p (cutoff {@code (1 - p) / (n - 1)},
 * candidates sorted by descending probability). Temperature 0 is greedy argmax.
 */
public final class RuncSampler implements Sampler {

  private final float temperature;
  private final float topp;
  private long state;
  private final int[] index;
  private final float[] prob;
  private final Integer[] order;

  public RuncSampler(int vocabSize, float temperature, float topp, long seed) {
    if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    this.temperature = temperature;
    this.topp = topp;
    this.state = seed;
    this.index = new int[vocabSize];
    this.prob = new float[vocabSize];
    this.order = new Integer[vocabSize];
  }

  /** run.c's random_u32: xorshift64* (state must not be 0 for useful output, as in run.c). */
  int randomU32() {
    state ^= state >>> 12;
    state ^= state << 25;
    state ^= state >>> 27;
    return (int) ((state * 0x2545F4914F6CDD1DL) >>> 32);
  }

  float randomF32() {
    return (randomU32() >>> 8) / 16777216.0f;
  }

  @Override
  public int sample(float[] logits) {
    if (temperature == 0.0f) return Sampler.argmax(logits);
    int n = logits.length;
    for (int q = 0; q < n; q++) logits[q] /= temperature;
    softmax(logits);
    float coin = randomF32();
    if (topp <= 0 || topp >= 1) return sampleMult(logits, coin);
    return sampleTopp(logits, coin);
  }

  static void softmax(float[] x) {
    float max = x[0];
    for (int i = 1; i < x.length; i++) if (x[i] > max) max = x[i];
    float sum = 0f;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.exp(x[i] - max);
      sum += x[i];
    }
    for (int i = 0; i < x.length; i++) x[i] /= sum;
  }

  private static int sampleMult(float[] probs, float coin) {
    float cdf = 0f;
    for (int i = 0; i < probs.length; i++) {
      cdf += probs[i];
      if (coin < cdf) return i;
    }
    return probs.length - 1;
  }

  private int sampleTopp(float[] probs, float coin) {
    int n = probs.length;
    float cutoff = (1.0f - topp) / (n - 1);
    int n0 = 0;
    for (int i = 0; i < n; i++) {
      if (probs[i] >= cutoff) {
        index[n0] = i;
        prob[n0] = probs[i];
        order[n0] = n0;
        n0++;
      }
    }
    // Descending by probability. run.c uses qsort; equal probabilities are not expected to matter.
    Arrays.sort(order, 0, n0, (a, b) -> Float.compare(prob[b], prob[a]));
    float cumulative = 0f;
    int last = n0 - 1;
    for (int i = 0; i < n0; i++) {
      cumulative += prob[order[i]];
      if (cumulative > topp) {
        last = i;
        break;
      }
    }
    float r = coin * cumulative;
    float cdf = 0f;
    for (int i = 0; i <= last; i++) {
      cdf += prob[order[i]];
      if (r < cdf) return index[order[i]];
    }
    return index[order[last]];
  }
}
