package ai.edgeai.cli.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.Main;
import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufWriter;
import ai.edgeai.llm.tensor.GgmlType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {

  @TempDir Path tmp;
  Path model;
  final StringWriter out = new StringWriter(), err = new StringWriter();

  @BeforeEach
  void makeModel() throws Exception {
    Random rnd = new Random(1);
    float[] w = new float[64 * 8];
    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
    float[] norm = new float[64];
    java.util.Arrays.fill(norm, 1f);
    float[] odd = new float[40 * 2];
    model = tmp.resolve("m.gguf");
    new GgufWriter()
        .putString("general.architecture", "llama")
        .addTensor("blk.0.attn_q.weight", GgmlType.F32, new long[] {64, 8}, MemorySegment.ofArray(w))
        .addTensor("blk.0.attn_norm.weight", GgmlType.F32, new long[] {64}, MemorySegment.ofArray(norm))
        .addTensor("blk.0.ffn_down.weight", GgmlType.F32, new long[] {40, 2}, MemorySegment.ofArray(odd))
        .write(model);
  }

  private int run(String... args) {
    return Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void quantizesToEachType() throws Exception {
    for (String type : new String[] {"q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "f16", "BF16"}) {
      Path o = tmp.resolve(type + ".gguf");
      assertEquals(0, run("quantize", model.toString(), o.toString(), "--type", type), err.toString());
      try (GgufFile f = GgufFile.open(o)) {
        assertEquals(GgmlType.valueOf(type.toUpperCase()), f.requireTensor("blk.0.attn_q.weight").type());
        assertEquals(GgmlType.F32, f.requireTensor("blk.0.attn_norm.weight").type());
        GgmlType odd = f.requireTensor("blk.0.ffn_down.weight").type();
        assertEquals(type.startsWith("q") ? GgmlType.F32 : GgmlType.valueOf(type.toUpperCase()), odd);
      }
    }
    assertTrue(out.toString().contains("1 tensors to Q8_0, 2 kept"), out.toString());
  }

  @Test
  void badTypeIsAUsageError() {
    assertEquals(2, run("quantize", model.toString(), tmp.resolve("o.gguf").toString(), "--type", "q3_k"));
    assertTrue(err.toString().contains("unknown quantization type 'q3_k'"), err.toString());
    assertEquals(2, run("quantize", model.toString()));
  }

  @Test
  void corruptInputNamesFileAndTensor() throws Exception {
    byte[] b = Files.readAllBytes(model);
    Path cut = tmp.resolve("cut.gguf");
    Files.write(cut, java.util.Arrays.copyOf(b, b.length - 300));
    Path o = tmp.resolve("o.gguf");
    assertEquals(1, run("quantize", cut.toString(), o.toString(), "--type", "q8_0"));
    String e = err.toString().strip();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("edgeai: error: " + cut), e);
    assertTrue(e.contains("'blk.0.ffn_down.weight'"), e);
    assertTrue(!Files.exists(o));
    assertEquals(1, run("quantize", tmp.resolve("missing.gguf").toString(), o.toString(), "--type", "q8_0"));
    assertTrue(err.toString().contains("missing.gguf"), err.toString());
  }
}
