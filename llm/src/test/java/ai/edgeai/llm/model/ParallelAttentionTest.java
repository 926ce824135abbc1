package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attention split over the worker pool by heads gives the bits of the single-threaded loop, in every
 * attention path (run.c's, ggml-rounded, F16 cache, llama.cpp's exact order), for decode steps and
 * prompt batches alike. F32 weights: the attention code is the same for every weight type, and the
 * repacked Q4_0/Q8_0 prompt path's bits can change once while its kernels are being compiled, which
 * would blur the comparison.
 */
class ParallelAttentionTest {

  @ParameterizedTest(name = "{0} ggml={1} f16kv={2} ggmlOrder={3}")
  @CsvSource({
    "gguf/stories260K-f32.gguf, false, false, false",
    "gguf/stories260K-f32.gguf, true, false, false",
    "gguf/stories260K-f32.gguf, true, true, false",
    "gguf/stories260K-f32.gguf, true, false, true",
  })
  void splitByHeadsGivesTheSingleThreadedBits(String model, boolean ggml, boolean f16Cache, boolean ggmlOrder) throws Exception {
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource(model), 2)) {
      m.setGgmlActivationRounding(ggml);
      m.setGgmlExactOrder(ggmlOrder);
      int vocab = m.config().vocabSize();
      int[] prompt = new int[40];
      for (int i = 0; i < prompt.length; i++) prompt[i] = (3 + 17 * i) % vocab;
      float[][] sequential = run(m, prompt, f16Cache, Long.MAX_VALUE);
      float[][] parallel = run(m, prompt, f16Cache, 0);
      for (int i = 0; i < sequential.length; i++) assertArrayEquals(sequential[i], parallel[i], "logits " + i);
    }
  }

  /** Prompt logits (batched), then three decode steps' logits, with the given split threshold. */
  private static float[][] run(LlamaModel m, int[] prompt, boolean f16Cache, long parallelMin) {
    m.setParallelAttentionMin(parallelMin);
    InferenceState s = m.newState(prompt.length + 8, f16Cache);
    float[][] out = new float[4][];
    out[0] = m.forwardBatch(s, prompt).clone();
    for (int step = 1; step < 4; step++) out[step] = m.forward(s, (5 + step) % m.config().vocabSize()).clone();
    return out;
  }
}
