package ai.edgeai.llm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GgufFileTest {

  @ParameterizedTest
  @ValueSource(strings = {"gguf/stories260K-f32.gguf", "gguf/stories260K-Q8_0.gguf", "gguf/stories260K-Q4_0.gguf", "gguf/llama-2-tiny-random.gguf"})
  void readsEverySharedFileAndDequantizesEveryTensor(String file) throws IOException {
    try (GgufFile f = GgufFile.open(TestFiles.llm(file))) {
      assertEquals(3, f.version());
      assertEquals("llama", f.metadata().getString("general.architecture"));
      assertTrue(f.tensors().size() > 0);
      for (GgufTensorInfo t : f.tensors()) {
        assertEquals(0, t.offset() % f.alignment(), t.name());
        Tensor tensor = f.openTensor(t);
        float[] all = tensor.toFloatArray();
        for (float x : all) assertTrue(Float.isFinite(x), t.name());
      }
    }
  }

  @Test
  void stories260KHeaderValues() throws IOException {
    try (GgufFile f = GgufFile.open(TestFiles.llm("gguf/stories260K-Q8_0.gguf"))) {
      GgufMetadata md = f.metadata();
      assertEquals(64, md.getInt("llama.embedding_length"));
      assertEquals(5, md.getInt("llama.block_count"));
      assertEquals(7, md.getInt("general.file_type"));
      assertEquals(-1, md.getTokenId("tokenizer.ggml.padding_token_id"));
      assertEquals(512, md.getStringArray("tokenizer.ggml.tokens").length);
      assertEquals(48, f.tensors().size());
      assertEquals(GgmlType.Q8_0, f.requireTensor("token_embd.weight").type());
      assertEquals(GgmlType.F32, f.requireTensor("blk.0.ffn_down.weight").type());
      assertEquals(GgmlType.F32, f.requireTensor("output_norm.weight").type());
      Tensor down = f.openTensor("blk.0.ffn_down.weight");
      assertEquals(64, down.rows());
      assertEquals(172, down.cols());
      ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.openTensor("blk.9.attn_q.weight"));
      assertTrue(e.getMessage().contains("'blk.9.attn_q.weight'"), e.getMessage());
    }
    try (GgufFile f = GgufFile.open(TestFiles.llm("gguf/llama-2-tiny-random.gguf"))) {
      assertEquals(GgmlType.F16, f.requireTensor("blk.0.attn_q.weight").type());
      assertEquals(32000, f.metadata().getStringArray("tokenizer.ggml.tokens").length);
    }
  }

  /** String arrays stay in the mapping: read one element or all, copies only, invalid after close. */
  @Test
  void stringArraysAreReadFromTheMapping(@TempDir Path tmp) throws IOException {
    String[] strings = {"a", "", "ĠHello", "日本語", "\u0000x", "<|end_of_text|>"};
    Path file = tmp.resolve("s.gguf");
    new GgufWriter().putArray("t.strings", new GgufArray(GgufValueType.STRING, strings.clone())).write(file);
    GgufArray a;
    GgufWriter writer = new GgufWriter();
    try (GgufFile f = GgufFile.open(file)) {
      writer.putAll(f.metadata());
      a = f.metadata().getArray("t.strings");
      assertEquals(GgufValueType.STRING, a.elementType());
      assertEquals(strings.length, a.length());
      for (int i = 0; i < strings.length; i++) assertEquals(strings[i], a.getString(i), "element " + i);
      assertArrayEquals(strings, (String[]) a.values());
      String[] copy = f.metadata().getStringArray("t.strings");
      assertArrayEquals(strings, copy);
      copy[0] = "changed";
      assertEquals("a", a.getString(0));
      assertEquals("a", f.metadata().getStringArray("t.strings")[0]);
    }
    GgufArray closed = a;
    assertThrows(IllegalStateException.class, () -> closed.getString(0));
    // A writer keeps its own copy: it writes after the source file is closed.
    Path again = tmp.resolve("again.gguf");
    writer.write(again);
    try (GgufFile f = GgufFile.open(again)) {
      assertArrayEquals(strings, f.metadata().getStringArray("t.strings"));
    }
  }

  /** gguf-py's dequantized copies in ref/gguf-dequant equal ours exactly. */
  @ParameterizedTest
  @CsvSource({
    "Q8_0, token_embd.weight", "Q8_0, blk.0.attn_q.weight", "Q8_0, blk.0.ffn_gate.weight",
    "Q4_0, token_embd.weight", "Q4_0, blk.0.attn_q.weight", "Q4_0, blk.0.ffn_gate.weight"})
  void dequantizationEqualsReference(String type, String tensor) throws IOException {
    byte[] ref = Files.readAllBytes(TestFiles.llm("ref/gguf-dequant/stories260K-" + type + "." + tensor + ".dequant.f32"));
    float[] expected = new float[ref.length / 4];
    ByteBuffer.wrap(ref).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
    try (GgufFile f = GgufFile.open(TestFiles.llm("gguf/stories260K-" + type + ".gguf"))) {
      Tensor t = f.openTensor(tensor);
      assertEquals(GgmlType.valueOf(type), t.type());
      float[] actual = t.toFloatArray();
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), tensor + " element " + i);
      }
    }
  }

  @Test
  void tensorTypeMixOfTheQuantizedFiles() throws IOException {
    for (String type : new String[] {"Q8_0", "Q4_0"}) {
      try (GgufFile f = GgufFile.open(TestFiles.llm("gguf/stories260K-" + type + ".gguf"))) {
        Map<GgmlType, Integer> mix = new HashMap<>();
        for (GgufTensorInfo t : f.tensors()) mix.merge(t.type(), 1, Integer::sum);
        // 7 quantized per layer minus ffn_down = 6 x 5 + token_embd + output; 3 F32 per layer + output_norm
        assertEquals(32, mix.get(GgmlType.valueOf(type)));
        assertEquals(16, mix.get(GgmlType.F32));
      }
    }
  }

  @Test
  void closeUnmaps() throws IOException {
    GgufFile f = GgufFile.open(TestFiles.llm("gguf/stories260K-f32.gguf"));
    var seg = f.tensorData(f.requireTensor("output_norm.weight"));
    f.close();
    assertFalse(seg.scope().isAlive());
    assertThrows(IllegalStateException.class, () -> seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    f.close(); // idempotent
  }
}
