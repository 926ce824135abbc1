package ai.edgeai.llm.sampling;

/** Picks the next token from a logits vector. Implementations may modify the array in place. */
public interface Sampler {

  int sample(float[] logits);

  /** Tells the sampler which token was accepted (for repetition penalties); default: ignore. */
  default void accept(int token) {}

  /** Index of the largest value; the first one wins ties (as run.c's argmax). */
  static int argmax(float[] v) {
    int best = 0;
    float max = v[0];
    for (int i = 1; i < v.length; i++) {
      if (v[i] > max) {
        max = v[i];
        best = i;
      }
    }
    return best;
  }
}
