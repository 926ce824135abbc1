package ai.edgeai.llm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GgufQuantizerTest {

  @TempDir Path tmp;

  /**
   * stories260K-f32 quantized by us equals gguf-py's reference quantizer output block for block,
   * and (same metadata order, same padding) the whole file byte for byte.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Q8_0", "Q4_0"})
  void matchesTheSharedReferenceFiles(String type) throws IOException {
    Path out = tmp.resolve("out-" + type + ".gguf");
    GgufQuantizer.Result r = GgufQuantizer.quantize(TestFiles.llm("gguf/stories260K-f32.gguf"), out, GgmlType.valueOf(type));
    assertEquals(32, r.converted());
    assertEquals(16, r.kept());
    Path ref = TestFiles.llm("gguf/stories260K-" + type + ".gguf");
    try (GgufFile ours = GgufFile.open(out); GgufFile theirs = GgufFile.open(ref)) {
      assertEquals(theirs.tensors().size(), ours.tensors().size());
      for (GgufTensorInfo t : theirs.tensors()) {
        GgufTensorInfo o = ours.requireTensor(t.name());
        assertEquals(t.type(), o.type(), t.name());
        assertArrayEquals(t.dims(), o.dims(), t.name());
        assertArrayEquals(theirs.tensorData(t).toArray(ValueLayout.JAVA_BYTE), ours.tensorData(o).toArray(ValueLayout.JAVA_BYTE), t.name());
      }
      assertEquals(java.util.List.copyOf(theirs.metadata().keys()), java.util.List.copyOf(ours.metadata().keys()));
    }
    assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(out), "whole file");
  }

  @ParameterizedTest
  @CsvSource({"Q4_1, 3, 0.12", "Q5_0, 8, 0.06", "Q5_1, 9, 0.06", "Q8_0, 7, 0.01", "F16, 1, 0.001", "BF16, 32, 0.01"})
  void otherTargetsKeepShapesAndApproximateTheWeights(String type, int fileType, double tolerance) throws IOException {
    GgmlType target = GgmlType.valueOf(type);
    Path in = TestFiles.llm("gguf/stories260K-f32.gguf");
    Path out = tmp.resolve("out.gguf");
    GgufQuantizer.quantize(in, out, target);
    try (GgufFile src = GgufFile.open(in); GgufFile q = GgufFile.open(out)) {
      assertEquals(fileType, q.metadata().getInt("general.file_type"));
      assertEquals("general.architecture", q.metadata().keys().iterator().next());
      for (String key : src.metadata().keys()) assertEquals(src.metadata().type(key), q.metadata().type(key), key);
      for (GgufTensorInfo t : src.tensors()) {
        GgufTensorInfo o = q.requireTensor(t.name());
        boolean quantizable = t.nDims() >= 2 && t.dim(0) % target.blockSize() == 0;
        assertEquals(quantizable ? target : GgmlType.F32, o.type(), t.name());
        Tensor a = src.openTensor(t), b = q.openTensor(o);
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        double maxAbs = 0, maxErr = 0;
        for (int i = 0; i < x.length; i++) {
          maxAbs = Math.max(maxAbs, Math.abs(x[i]));
          maxErr = Math.max(maxErr, Math.abs(x[i] - y[i]));
        }
        assertTrue(maxErr <= tolerance * maxAbs, t.name() + " error " + maxErr + " vs max " + maxAbs);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void quantizingInPlaceReplacesTheFile() throws IOException {
    Path copy = tmp.resolve("m.gguf");
    Files.copy(TestFiles.llm("gguf/stories260K-f32.gguf"), copy);
    GgufQuantizer.quantize(copy, copy, GgmlType.Q8_0);
    assertArrayEquals(Files.readAllBytes(TestFiles.llm("gguf/stories260K-Q8_0.gguf")), Files.readAllBytes(copy));
  }
}
