package ai.edgeai.llm.sampling;

import java.util.SplittableRandom;

/**
 * The usual sampler chain, in llama.cpp's order: repetition penalty over the last N accepted
 * tokens, top-k, temperature, softmax, top-p, min-p, then a draw with a seeded generator.
 * Temperature 0 is greedy (after the repetition penalty). Buffers are allocated once.
 */
public final class ChainSampler implements Sampler {

  private final SamplingParams p;
  private final SplittableRandom random;
  private final int[] recent;
  private int recentCount;
  private int recentHead;
  private final int[] ids;
  private final float[] vals;

  public ChainSampler(int vocabSize, SamplingParams params) {
    this.p = params;
    this.random = new SplittableRandom(params.seed());
    this.recent = new int[Math.max(1, params.repeatLastN())];
    this.ids = new int[vocabSize];
    this.vals = new float[vocabSize];
  }

  @Override
  public void accept(int token) {
    if (p.repeatLastN() == 0) return;
    recent[recentHead] = token;
    recentHead = (recentHead + 1) % recent.length;
    recentCount = Math.min(recentCount + 1, recent.length);
  }

  @Override
  public int sample(float[] logits) {
    if (p.repeatPenalty() != 1f) {
      for (int i = 0; i < recentCount; i++) {
        int t = recent[i];
        if (t < 0 || t >= logits.length) continue;
        // Applied once per distinct token, as llama.cpp does.
        boolean seen = false;
        for (int j = 0; j < i; j++) if (recent[j] == t) seen = true;
        if (seen) continue;
        logits[t] = logits[t] > 0 ? logits[t] / p.repeatPenalty() : logits[t] * p.repeatPenalty();
      }
    }
    if (p.temperature() <= 0f) return Sampler.argmax(logits);
    int n = logits.length;
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      vals[i] = logits[i];
    }
    source = logits;
    // Candidates sorted by logit, descending; with top-k only the k best need ordering.
    int k = p.topK() > 0 ? Math.min(p.topK(), n) : n;
    partialSort(n, k);
    n = k;
    float max = vals[0];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float e = (float) Math.exp((vals[i] - max) / p.temperature());
      vals[i] = e;
      sum += e;
    }
    for (int i = 0; i < n; i++) vals[i] /= (float) sum;
    if (p.topP() < 1f) {
      double cum = 0;
      int keep = n;
      for (int i = 0; i < n; i++) {
        cum += vals[i];
        if (cum >= p.topP()) {
          keep = i + 1;
          break;
        }
      }
      n = keep;
    }
    if (p.minP() > 0f) {
      float threshold = vals[0] * p.minP();
      int keep = 1;
      while (keep < n && vals[keep] >= threshold) keep++;
      n = keep;
    }
    double total = 0;
    for (int i = 0; i < n; i++) total += vals[i];
    double r = random.nextDouble() * total;
    double cdf = 0;
    for (int i = 0; i < n; i++) {
      cdf += vals[i];
      if (r < cdf) return ids[i];
    }
    return ids[n - 1];
  }

  /** Moves the k largest values (with their ids) to the front, in descending order. */
  private void partialSort(int n, int k) {
    if (k == n) {
      sortRange(0, n);
      return;
    }
    // Selection of the k best: O(n·k), fine for the usual k (≤ 100).
    for (int i = 0; i < k; i++) {
      int best = i;
      for (int j = i + 1; j < n; j++) if (vals[j] > vals[best]) best = j;
      swap(i, best);
    }
  }

  private void sortRange(int from, int to) {
    // Sort (value desc, id asc) packed into longs so no boxing is needed.
    long[] keys = new long[to - from];
    for (int i = from; i < to; i++) {
      int bits = Float.floatToIntBits(vals[i]);
      int ordered = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // monotone int image of the float
      keys[i - from] = ((long) ~ordered << 32) | (ids[i] & 0xFFFFFFFFL);
    }
    java.util.Arrays.sort(keys);
    for (int i = 0; i < keys.length; i++) {
      int id = (int) keys[i];
      ids[from + i] = id;
    }
    for (int i = from; i < to; i++) vals[i] = valueOf(ids[i]);
  }

  private float[] source;

  private float valueOf(int id) {
    return source[id];
  }

  private void swap(int a, int b) {
    int ti = ids[a];
    ids[a] = ids[b];
    ids[b] = ti;
    float tv = vals[a];
    vals[a] = vals[b];
    vals[b] = tv;
  }
}
