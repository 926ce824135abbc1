package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.kernel.Q4Interleaved;
import ai.edgeai.llm.kernel.Q8Interleaved;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weights copied (or repacked) into memory at load give exactly the logits of weights read in
 * place from the file mapping, and the model says which it did.
 */
class ResidentWeightsTest {

  @ParameterizedTest
  @ValueSource(strings = {"gguf/stories260K-Q4_0.gguf", "gguf/stories260K-Q8_0.gguf", "gguf/stories260K-f32.gguf",
      "gguf/llama-2-tiny-random.gguf", "llama2c/stories260K.bin"})
  void copiesGiveTheMappedWeightsLogits(String model) throws Exception {
    Path file = ReferenceRun.resource(model);
    int[] prompt = {1, 400, 21, 9, 77};
    float[] mapped;
    float[] mappedDecode;
    try (var props = new Properties("true", "false"); LlamaModel m = LlamaModel.load(file, 2)) {
      assertEquals("weights memory-mapped in their file layout", m.weightLayout());
      InferenceState s = m.newState(16, false);
      mapped = m.forwardBatch(s, prompt).clone();
      mappedDecode = m.forward(s, 5).clone();
    }
    try (var props = new Properties(null, null); LlamaModel m = LlamaModel.load(file, 2)) {
      String layout = m.weightLayout();
      assertTrue(layout.contains("matrices copied in their file layout") || layout.contains("repacked"), layout);
      boolean repackable = model.contains("Q4_0") && Q4Interleaved.worthwhile() || model.contains("Q8_0") && Q8Interleaved.worthwhile();
      assertEquals(repackable, layout.contains("repacked"), layout);
      InferenceState s = m.newState(16, false);
      float[] resident = m.forwardBatch(s, prompt);
      if (!layout.contains("repacked")) {
        // Same kernels over the same bytes: the same bits.
        assertArrayEquals(mapped, resident, layout);
        assertArrayEquals(mappedDecode, m.forward(s, 5), layout);
      } else {
        // The interleaved kernels sum in another float order (Q4_0: llama.cpp's repacked one): the same to float
        // rounding, which may move an activation across one 8-bit quantization step (see
        // ForwardBatchTest): within 0.1 and the same greedy token.
        assertClose(mapped, resident, 0.1);
        assertEquals(ReferenceRun.argmax(mapped), ReferenceRun.argmax(resident));
        assertClose(mappedDecode, m.forward(s, 5), 0.1);
      }
    }
  }

  @Test
  void rejectsAMalformedProperty() throws Exception {
    try (var props = new Properties("yes", null)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LlamaModel.load(ReferenceRun.resource("gguf/stories260K-Q8_0.gguf"), 1).close());
      assertTrue(e.getMessage().contains(ResidentWeights.MMAP_PROPERTY), e.getMessage());
    }
  }

  private static void assertClose(float[] expected, float[] got, double tolerance) {
    double max = 0;
    for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - got[i]));
    assertTrue(max <= tolerance, "max |dlogit| " + max);
  }

  /** Sets the mmap and repack properties (null: unset) for one block, then restores them. */
  private static final class Properties implements AutoCloseable {
    private final String oldMmap = System.getProperty(ResidentWeights.MMAP_PROPERTY);
    private final String oldRepack = System.getProperty(ResidentWeights.REPACK_PROPERTY);

    Properties(String mmap, String repack) {
      set(ResidentWeights.MMAP_PROPERTY, mmap);
      set(ResidentWeights.REPACK_PROPERTY, repack);
    }

    @Override
    public void close() {
      set(ResidentWeights.MMAP_PROPERTY, oldMmap);
      set(ResidentWeights.REPACK_PROPERTY, oldRepack);
    }

    private static void set(String key, String value) {
      if (value == null) System.clearProperty(key);
      else System.setProperty(key, value);
    }
  }
}
