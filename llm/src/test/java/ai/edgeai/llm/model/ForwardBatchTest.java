package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Prefill in batches gives the logits and KV cache of feeding the tokens one at a time. With exact
 * prefill (the token-lane Q8 kernels, the decode kernels' bits) that holds to 1e-5. The default
 * GEMM prefill sums in another float order, and now and then that moves one activation across an
 * 8-bit (Q8_0) rounding step of the next product: on stories260K-Q8_0 one such step moves the prompt
 * logits by 0.039 and the next decode step's by 0.076 (a 64-wide model, where one quantum is large).
 * So the default mode must give the same greedy tokens and logits within 0.1, one rounding step's
 * worth, and nothing more. llama.cpp's batched kernels differ from its decode kernels the same way.
 */
class ForwardBatchTest {

  private static final double EXACT = 1e-5;
  private static final double ROUNDING_NOISE = 0.1;

  @ParameterizedTest(name = "{0} ggml={1} f16kv={2} exact={3} ggmlOrder={4}")
  @CsvSource({
    "gguf/stories260K-Q4_0.gguf, true, false, true, false",
    "gguf/stories260K-Q8_0.gguf, true, false, true, false",
    "gguf/stories260K-f32.gguf, true, true, true, false",
    "gguf/stories260K-f32.gguf, false, false, true, false",
    "gguf/llama-2-tiny-random.gguf, true, false, true, false",
    "gguf/stories260K-Q4_0.gguf, true, false, false, false",
    "gguf/stories260K-Q8_0.gguf, true, false, false, false",
    "gguf/stories260K-f32.gguf, true, true, false, false",
    "gguf/stories260K-f32.gguf, false, false, false, false",
    "gguf/llama-2-tiny-random.gguf, true, false, false, false",
    "gguf/stories260K-Q4_0.gguf, true, false, false, true",
    "gguf/stories260K-Q8_0.gguf, true, false, false, true",
    "gguf/stories260K-f32.gguf, true, false, false, true",
  })
  void batchedPrefillMatchesTokenByToken(String model, boolean ggml, boolean f16Cache, boolean exact, boolean ggmlOrder) throws Exception {
    // llama.cpp's exact order runs batches token by token's way too: exact.
    double tolerance = exact || ggmlOrder ? EXACT : ROUNDING_NOISE;
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource(model), 2)) {
      m.setGgmlActivationRounding(ggml);
      m.setExactPrefill(exact);
      m.setGgmlExactOrder(ggmlOrder);
      int vocab = m.config().vocabSize();
      // Longer than one batch, so the second batch attends to the first one's cache.
      int[] prompt = new int[LlamaModel.DEFAULT_PREFILL_BATCH + 9];
      for (int i = 0; i < prompt.length; i++) prompt[i] = (7 + 31 * i) % vocab;
      InferenceState one = m.newState(prompt.length + 4, f16Cache);
      float[] expected = null;
      for (int token : prompt) expected = m.forward(one, token).clone();
      InferenceState batched = m.newState(prompt.length + 4, f16Cache);
      batched.truncate(0);
      m.forward(batched, prompt[0]); // a cached prefix, then the rest as a batch
      float[] got = m.forwardBatch(batched, java.util.Arrays.copyOfRange(prompt, 1, prompt.length)).clone();
      assertEquals(prompt.length, batched.position());
      assertClose(expected, got, tolerance, "prompt logits");
      // Decoding on from either cache gives the same next logits.
      for (int step = 0; step < 3; step++) {
        int next = ReferenceRun.argmax(expected);
        assertEquals(next, ReferenceRun.argmax(got), "greedy token after step " + step);
        expected = m.forward(one, next).clone();
        got = m.forward(batched, next).clone();
        assertClose(expected, got, tolerance, "decode step " + step);
      }
    }
  }

  private static void assertClose(float[] expected, float[] got, double tolerance, String what) {
    double max = 0;
    for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - got[i]));
    System.out.printf("%s: max |dlogit| %.3e (bound %.0e)%n", what, max, tolerance);
    assertEquals(0, max, tolerance, what + ": max |dlogit| " + max);
  }

  @org.junit.jupiter.api.Test
  void rejectsTokensThatDoNotFit() throws Exception {
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource("gguf/stories260K-Q8_0.gguf"), 1)) {
      InferenceState s = m.newState(4, false);
      assertThrows(IllegalStateException.class, () -> m.forwardBatch(s, new int[] {1, 2, 3, 4, 5}));
      assertThrows(IllegalArgumentException.class, () -> m.forwardBatch(s, new int[] {1, -2}));
      assertThrows(IllegalArgumentException.class, () -> m.forwardBatch(s, new int[0]));
      assertEquals(0, s.position());
    }
  }

  @org.junit.jupiter.api.Test
  void refusesAKvCacheLargerThanTheHeapWithItsSize() throws Exception {
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource("gguf/stories260K-Q8_0.gguf"), 1)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.newState(1 << 30, false));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("KV cache for a context of 1073741824 positions needs"), e.getMessage());
      assertEquals(Math.min(m.config().contextLength(), LlamaModel.DEFAULT_CONTEXT), m.defaultContextLength());
    }
  }

  @org.junit.jupiter.api.Test
  void prefillBatchPropertyIsValidated() {
    // The default follows the kernels: 128 where the packed GEMM runs (512-bit), else 32.
    assertEquals(ai.edgeai.llm.kernel.PackedGemm.applies() ? 128 : 32, LlamaModel.prefillBatch(null));
    assertEquals(64, LlamaModel.prefillBatch(" 64 "));
    assertEquals(1, LlamaModel.prefillBatch("1"));
    var zero = assertThrows(IllegalArgumentException.class, () -> LlamaModel.prefillBatch("0"));
    assertEquals("edgeai.llm.prefillBatch must be from 1 to 512, got 0", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LlamaModel.prefillBatch("513"));
    var word = assertThrows(IllegalArgumentException.class, () -> LlamaModel.prefillBatch("many"));
    assertEquals("edgeai.llm.prefillBatch must be an integer from 1 to 512, got 'many'", word.getMessage());
  }
}
