package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exactness against the C references: llama2.c's run.c for F32 weights (ids identical, logits within
 * 1e-4) and llama.cpp for quantized and F16 files (ids identical up to the first near-tie of the
 * reference, logits within 0.05 before it).
 */
class LlamaParityTest {

  /** Teacher-forced greedy run: feeds the reference's prompt, then our own argmax; returns fed tokens + final prediction. */
  record Run(List<Integer> sequence, List<float[]> logits) {}

  static Run greedy(LlamaModel m, int[] prompt, int positions, boolean stopOnBos) {
    InferenceState s = m.newState(Math.max(positions, 1), false);
    List<Integer> seq = new ArrayList<>();
    List<float[]> logits = new ArrayList<>();
    int token = prompt[0];
    seq.add(token);
    for (int pos = 0; pos < positions; pos++) {
      float[] l = m.forward(s, token);
      logits.add(l.clone());
      int next = pos < prompt.length - 1 ? prompt[pos + 1] : ReferenceRun.argmax(l);
      seq.add(next);
      if (stopOnBos && next == 1) break;
      token = next;
    }
    return new Run(seq, logits);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "greedy_noprompt_256, llama2c/stories260K.bin",
    "greedy_once_200, llama2c/stories260K.bin",
    "greedy_llama_emoji_100, llama2c/stories260K.bin",
    "greedy_noprompt_256, gguf/stories260K-f32.gguf",
    "greedy_once_200, gguf/stories260K-f32.gguf",
    "greedy_llama_emoji_100, gguf/stories260K-f32.gguf",
  })
  void matchesRunC(String ref, String model) throws Exception {
    ReferenceRun r = ReferenceRun.load("llama2c/" + ref);
    // Every numerics: llama.cpp's exact order, the default (ggml rounding), and run.c's own order.
    for (int mode = 0; mode < 3; mode++) {
      boolean ggml = mode < 2;
      try (LlamaModel m = LlamaModel.load(ReferenceRun.resource(model), 1)) {
        m.setGgmlActivationRounding(ggml);
        m.setGgmlExactOrder(mode == 0);
        Run run = greedy(m, r.promptIds(), r.logits().length, true);
        assertArrayEquals(r.sequence(), run.sequence().stream().mapToInt(Integer::intValue).toArray(), "token sequence");
        double maxDiff = 0;
        for (int i = 0; i < r.logits().length; i++) {
          for (int j = 0; j < r.vocab(); j++) maxDiff = Math.max(maxDiff, Math.abs(r.logits()[i][j] - run.logits().get(i)[j]));
        }
        System.out.printf("run.c parity %s on %s (%s numerics): max |dlogit| = %.3g%n", ref, model, mode == 0 ? "ggml exact-order" : ggml ? "ggml" : "run.c", maxDiff);
        assertTrue(maxDiff < 1e-4, "max |dlogit| " + maxDiff);
      }
    }
  }

  /**
   * llama.cpp parity, in both modes. With llama.cpp's exact float order
   * ({@link LlamaModel#setGgmlExactOrder}, {@link GgmlNumerics}) the 0.05 logit bound must hold up to
   * the first near-tie row, and the Q8_0 and Q4_0 runs reproduce llama.cpp's logits bit for bit on
   * the machine that wrote these notes. In the default (fast) mode, {@code defaultLogitRows} is
   * where the bound must hold: the first near-tie row ({@code -1}) except in one documented case
   * (Q8_0, no prompt), where one activation lands on the other side of an 8-bit rounding step at row
   * 250 and the logits then differ by up to 0.15; its ids still agree to the end.
   */
  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "llamacpp/f32-kvf32_greedy_noprompt_256, gguf/stories260K-f32.gguf, -1",
    "llamacpp/f32-kvf32_greedy_once_200, gguf/stories260K-f32.gguf, -1",
    "llamacpp/Q8_0-kvf32_greedy_noprompt_256, gguf/stories260K-Q8_0.gguf, 250",
    "llamacpp/Q8_0-kvf32_greedy_once_200, gguf/stories260K-Q8_0.gguf, -1",
    "llamacpp/Q4_0-kvf32_greedy_noprompt_256, gguf/stories260K-Q4_0.gguf, -1",
    "llamacpp/Q4_0-kvf32_greedy_once_200, gguf/stories260K-Q4_0.gguf, -1",
    "llamacpp-tiny-random/kvf32_greedy_once_24, gguf/llama-2-tiny-random.gguf, -1",
  })
  void matchesLlamaCppUpToFirstNearTie(String ref, String model, int defaultLogitRows) throws Exception {
    for (boolean exactOrder : new boolean[] {true, false}) {
      parity(ref, model, exactOrder, exactOrder ? -1 : defaultLogitRows);
    }
  }

  private void parity(String ref, String model, boolean exactOrder, int logitRows) throws Exception {
    ReferenceRun r = ReferenceRun.load(ref);
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource(model), 2)) {
      m.setGgmlExactOrder(exactOrder);
      int rows = r.logits().length;
      int promptLast = r.promptIds().length - 1;
      // The first row whose reference top-2 gap is below 0.01: past it the greedy paths may fork legitimately.
      int tie = rows;
      for (int i = promptLast; i < rows; i++) {
        if (r.top2Gap(i) < 0.01f) {
          tie = i;
          break;
        }
      }
      int bound = logitRows < 0 ? tie : Math.min(tie, logitRows);
      // Teacher-force the reference's own sequence so every row stays comparable.
      InferenceState s = m.newState(rows, false);
      double maxDiff = 0;
      double maxDiffAll = 0;
      int firstIdMismatch = -1;
      for (int i = 0; i < rows; i++) {
        float[] l = m.forward(s, r.sequence()[i]);
        double rowMax = 0;
        for (int j = 0; j < r.vocab(); j++) rowMax = Math.max(rowMax, Math.abs(r.logits()[i][j] - l[j]));
        if (i < bound) maxDiff = Math.max(maxDiff, rowMax);
        maxDiffAll = Math.max(maxDiffAll, rowMax);
        boolean refHasNext = i + 1 < r.sequence().length;
        if (i >= promptLast && refHasNext && firstIdMismatch < 0 && ReferenceRun.argmax(l) != r.sequence()[i + 1]) {
          firstIdMismatch = i;
        }
      }
      System.out.printf("llama.cpp parity (%s) %s: first near-tie row %d of %d; first greedy id mismatch %s; max |dlogit| %.3g before row %d, %.3g over all rows%n",
          exactOrder ? "exact order" : "default", ref, tie, rows, firstIdMismatch < 0 ? "none" : "row " + firstIdMismatch, maxDiff, bound, maxDiffAll);
      assertTrue(firstIdMismatch < 0 || firstIdMismatch >= tie, "greedy id differs at row " + firstIdMismatch + " before the first near-tie at row " + tie);
      assertTrue(maxDiff < 0.05, "max |dlogit| before row " + bound + ": " + maxDiff);
    }
  }
}
