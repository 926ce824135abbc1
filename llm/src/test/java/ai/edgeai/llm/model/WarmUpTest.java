package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JIT warm-up leaves nothing behind: the same logits as a model that was never warmed up. */
class WarmUpTest {

  @ParameterizedTest
  @ValueSource(strings = {"gguf/stories260K-Q4_0.gguf", "gguf/stories260K-Q8_0.gguf", "gguf/llama-2-tiny-random.gguf"})
  void warmUpChangesNoResult(String model) throws Exception {
    int[] prompt = {1, 400, 21, 9, 77};
    float[] cold;
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource(model), 2)) {
      cold = m.forwardBatch(m.newState(16, false), prompt).clone();
    }
    try (LlamaModel m = LlamaModel.load(ReferenceRun.resource(model), 2)) {
      assertTrue(m.warmUp() > 0);
      InferenceState s = m.newState(16, false);
      assertArrayEquals(cold, m.forwardBatch(s, prompt));
      assertTrue(s.position() == prompt.length);
    }
  }
}
