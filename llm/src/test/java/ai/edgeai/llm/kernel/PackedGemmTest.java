package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PackedGemm} and {@link Q4Interleaved#gemm}: the SIMD tiles give the bits of the scalar
 * reference (each output an fma chain over the columns in order, however the columns are sliced),
 * for token counts around the tile size, 16- and 32-row panels, and repacked Q4_0 matrices whose
 * row ranges end on an odd group or whose columns end mid-slice. The tiles are written for 512-bit
 * vectors only; elsewhere the engine keeps {@link Q4Interleaved#matmul} and these tests skip.
 */
class PackedGemmTest {

  @Test
  void packingLaysTheQ8ValuesOutColumnMajorWithZeroPadding() {
    SplittableRandom rnd = new SplittableRandom(7);
    int tokens = 5, cols = 96;
    float[] x = KernelDifferentialTest.randomActivations(tokens * cols, rnd);
    Q8Batch batch = new Q8Batch(tokens, cols);
    for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
    int tp = PackedGemm.paddedTokens(tokens);
    assertEquals(PackedGemm.TOKENS, tp);
    float[] xt = new float[cols * tp];
    java.util.Arrays.fill(xt, Float.NaN);
    // Two column ranges, as two threads would pack them.
    PackedGemm.packActivations(batch, tokens, cols, 0, 64, xt);
    PackedGemm.packActivations(batch, tokens, cols, 64, 96, xt);
    float[] roundTrip = new float[cols];
    for (int t = 0; t < tp; t++) {
      if (t < tokens) Q8Batch.roundTrip(x, t * cols, cols, roundTrip, 0);
      for (int k = 0; k < cols; k++) {
        float expected = t < tokens ? roundTrip[k] : 0f;
        assertEquals(expected, xt[PackedGemm.at(t, k, cols)], "token " + t + " column " + k);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> PackedGemm.packActivations(batch, tokens, cols, 0, 48, xt));
    assertThrows(IllegalArgumentException.class, () -> PackedGemm.packActivations(batch, tokens, cols, 0, 96, new float[10]));
  }

  @ParameterizedTest
  @ValueSource(ints = {-16, 0, 8, 15, 17, 31, 48, 64})
  void tilesTakePanelsOf16Or32RowsOnly(int rows) {
    float[] panel = new float[PackedGemm.ROWS * 32], xt = new float[32 * PackedGemm.paddedTokens(1)], out = new float[64];
    var e = assertThrows(IllegalArgumentException.class, () -> PackedGemm.tiles(panel, 0, 0, 32, xt, 32, 1, out, 64, 0, rows, false));
    assertEquals("panel of " + rows + " rows", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 11, 12, 13, 30})
  void tilesGiveTheReferenceBits(int tokens) {
    assumeTrue(PackedGemm.applies(), "512-bit kernels only");
    SplittableRandom rnd = new SplittableRandom(tokens);
    int cols = 96, tp = PackedGemm.paddedTokens(tokens), outStride = 40;
    float[] xt = new float[cols * tp];
    for (int k = 0; k < cols; k++) {
      for (int t = 0; t < tokens; t++) xt[PackedGemm.at(t, k, cols)] = (float) rnd.nextGaussian();
    }
    for (int rows : new int[] {16, 32}) {
      float[] panel = new float[PackedGemm.ROWS * cols];
      for (int k = 0; k < cols; k++) {
        for (int i = 0; i < rows; i++) panel[k * PackedGemm.ROWS + i] = (float) rnd.nextGaussian();
      }
      float[] got = new float[tokens * outStride], want = new float[tokens * outStride];
      for (int i = 0; i < got.length; i++) got[i] = want[i] = (float) rnd.nextGaussian();
      // Columns [0, 40) then [40, 96) continuing from the stored sums, starting at row 3 of out.
      float[] tail = java.util.Arrays.copyOfRange(panel, 40 * PackedGemm.ROWS, panel.length);
      PackedGemm.tiles(panel, 0, 0, 40, xt, cols, tokens, got, outStride, 3, rows, false);
      PackedGemm.tiles(tail, 40, 40, 96, xt, cols, tokens, got, outStride, 3, rows, true);
      PackedGemm.reference(panel, 0, 0, 96, xt, cols, tokens, want, outStride, 3, rows, false);
      for (int i = 0; i < got.length; i++) {
        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), rows + " rows, " + tokens + " tokens, out[" + i + "]");
      }
    }
  }

  @Test
  void repackedQ4GemmGivesTheFmaChainOverDequantizedRows() {
    assumeTrue(PackedGemm.applies(), "512-bit kernels only");
    SplittableRandom rnd = new SplittableRandom(11);
    // 48 rows = a pair of groups and a single one; 288 columns = a full slice and 32 more.
    int rows = 48, cols = PackedGemm.SLICE + 32, tokens = 13;
    try (Arena arena = Arena.ofConfined()) {
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, rows, cols, rnd, arena);
      MemorySegment packed = Q4InterleavedTest.repacked(w, arena);
      float[] x = KernelDifferentialTest.randomActivations(tokens * cols, rnd);
      Q8Batch batch = new Q8Batch(tokens, cols);
      for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
      int tp = PackedGemm.paddedTokens(tokens);
      float[] xt = new float[cols * tp];
      PackedGemm.packActivations(batch, tokens, cols, 0, cols, xt);
      float[] out = new float[tokens * rows];
      float[] panel = new float[PackedGemm.panelFloats(cols)];
      // Two ranges of whole groups, as the pool splits them: [0, 16) alone, then [16, 48) as a pair.
      Q4Interleaved.gemm(packed, cols, 0, 16, xt, tokens, out, rows, panel);
      Q4Interleaved.gemm(packed, cols, 16, 48, xt, tokens, out, rows, panel);
      float[] row = new float[cols];
      for (int r = 0; r < rows; r++) {
        w.dequantizeRow(r, row, 0);
        for (int t = 0; t < tokens; t++) {
          float acc = 0f;
          for (int k = 0; k < cols; k++) acc = Math.fma(row[k], xt[PackedGemm.at(t, k, cols)], acc);
          assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(out[t * rows + r]), "row " + r + " token " + t);
        }
      }
      assertThrows(IllegalArgumentException.class, () -> Q4Interleaved.gemm(packed, cols, 0, 8, xt, tokens, out, rows, panel));
      assertThrows(IllegalArgumentException.class, () -> Q4Interleaved.gemm(packed, cols, 0, 64, xt, tokens, out, rows, panel));
      assertThrows(IllegalArgumentException.class, () -> Q4Interleaved.gemm(packed, cols, 0, 16, xt, tokens, out, rows, new float[16]));
    }
  }
}
