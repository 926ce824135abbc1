package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.sampling.Sampler;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tokenizer.EncodeOptions;
import ai.edgeai.llm.tokenizer.Tokenizer;
import ai.edgeai.llm.tokenizer.Tokenizers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConverterAndSynthTest {

  @TempDir Path tmp;

  @Test
  void convertedStories260KGeneratesTheSameIdsAsTheCheckpointWithItsOwnTokenizer() throws Exception {
    Path out = tmp.resolve("stories260K.gguf");
    Llama2cConverter.convert(ReferenceRun.resource("llama2c/stories260K.bin"), ReferenceRun.resource("llama2c/tok512.bin"), out);
    ReferenceRun ref = ReferenceRun.load("llama2c/greedy_once_200");
    try (GgufFile f = GgufFile.open(out); LlamaModel m = LlamaModel.load(out, 1)) {
      Tokenizer tok = Tokenizers.fromGguf(f);
      assertArrayEquals(ref.promptIds(), tok.encode("Once upon a time", EncodeOptions.DEFAULT), "the GGUF's own tokenizer encodes the prompt as run.c did");
      assertEquals(512, m.config().contextLength(), "the real seq_len is declared");
      var run = LlamaParityTest.greedy(m, ref.promptIds(), ref.logits().length, true);
      assertArrayEquals(ref.sequence(), run.sequence().stream().mapToInt(Integer::intValue).toArray());
    }
  }

  @Test
  void synthesizedModelHasThePresetShapeAndRuns() throws Exception {
    ModelPreset tiny = new ModelPreset("tiny-test", 64, 96, 2, 4, 2, 512, 256, 500000f, true, 32f);
    Path out = tmp.resolve("tiny.gguf");
    ModelSynthesizer.synthesize(tiny, GgmlType.Q8_0, ReferenceRun.resource("gguf/stories260K-f32.gguf"), out, 7);
    try (GgufFile f = GgufFile.open(out); LlamaModel m = LlamaModel.load(out, 1)) {
      assertEquals(GgmlType.Q8_0, f.requireTensor("blk.1.ffn_gate.weight").type());
      assertEquals(GgmlType.F32, f.requireTensor("blk.0.attn_norm.weight").type());
      assertTrue(f.tensor("output.weight").isEmpty(), "tied embeddings");
      assertNotNull(m.weights().ropeFreqFactors(), "Llama 3 rope factors stored");
      LlamaConfig c = m.config();
      assertEquals(64, c.dim());
      assertEquals(2, c.kvHeads());
      assertEquals(512, c.vocabSize());
      assertEquals(500000f, c.ropeTheta());
      Tokenizer tok = Tokenizers.fromGguf(f);
      assertEquals(512, tok.vocabularySize());
      InferenceState s = m.newState(8, false);
      float[] l = m.forward(s, 1);
      int next = Sampler.argmax(l);
      assertTrue(next >= 0 && next < 512);
      for (float x : l) assertTrue(Float.isFinite(x));
    }
    // Deterministic for a seed.
    Path again = tmp.resolve("tiny2.gguf");
    ModelSynthesizer.synthesize(tiny, GgmlType.Q8_0, ReferenceRun.resource("gguf/stories260K-f32.gguf"), again, 7);
    assertArrayEquals(java.nio.file.Files.readAllBytes(out), java.nio.file.Files.readAllBytes(again));
  }

  @Test
  void llama3RopeFactorsFollowThePublishedFormula() {
    float[] f = ModelPreset.byName("llama-3.2-1b").ropeFreqFactors();
    assertEquals(32, f.length);
    assertEquals(1f, f[0]); // highest frequency: unchanged
    assertEquals(32f, f[31]); // lowest frequency: divided by the factor
    for (int i = 1; i < f.length; i++) assertTrue(f[i] >= f[i - 1], "monotone");
  }
}
