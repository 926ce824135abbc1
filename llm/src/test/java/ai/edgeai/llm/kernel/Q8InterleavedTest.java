package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Q8Interleaved}: the 512-bit kernels give the bits of {@link Q8Interleaved#rowScalar}, which
 * gives those of the GGUF-layout reference in ggml's order ({@code ScalarKernels.dotQ8}, as
 * {@link Tensor#dotQ8}); the repacking
 * keeps every byte where the layout says; rows dequantized from the copy equal the originals; the
 * packed prompt GEMM gives the fma chain over the dequantized rows; bad inputs are refused. Quants
 * of -128 (which a file may hold, the activations never) are in the test matrices: the 16-bit
 * pair sums must not overflow.
 */
class Q8InterleavedTest {

  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  static MemorySegment repacked(Tensor w, Arena arena) {
    MemorySegment dst = arena.allocate(Q8Interleaved.byteSize(w.rows(), w.cols()), 64);
    assertTrue(Q8Interleaved.repack(w.data(), w.cols(), 0, w.rows() / Q8Interleaved.ROWS, dst));
    return dst;
  }

  /** A random Q8_0 matrix whose first row holds -128 and 127 quants against the largest activations. */
  private static Tensor matrix(int rows, int cols, SplittableRandom rnd, Arena arena) {
    Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q8_0, rows, cols, rnd, arena);
    for (int b = 0; b < cols / 32; b++) {
      for (int j = 0; j < 32; j++) w.data().set(ValueLayout.JAVA_BYTE, 34L * b + 2 + j, (byte) (j % 2 == 0 ? -128 : 127));
    }
    w.data().set(I16, w.rowBytes(), (short) 0x0003); // a subnormal scale
    w.data().set(I16, w.rowBytes() * 2, (short) 0x8000); // negative zero
    return w;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void kernelsGiveTheScalarReferencesBits(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed + 700);
    for (int[] shape : new int[][] {{16, 32, 1}, {48, 224, 3}, {64, 2048, 2}, {96, 160, 1}}) {
      int rows = shape[0], cols = shape[1], tokens = shape[2];
      try (Arena arena = Arena.ofConfined()) {
        Tensor w = matrix(rows, cols, rnd, arena);
        float[] x = KernelDifferentialTest.randomActivations(tokens * cols, rnd);
        for (int i = 0; i < cols; i += 2) x[i] = -50f; // activations quantized to -127 against the -128 weights
        Q8Batch batch = new Q8Batch(tokens, cols + 32);
        for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
        MemorySegment packed = repacked(w, arena);
        for (int bits : new int[] {0, Kernels.floatBits()}) {
          if (bits != 0 && bits != 512) continue; // the SIMD kernel is 512-bit only
          float[] out = new float[tokens * rows];
          int mid = rows / 32 * 16;
          Q8Interleaved.matmul(bits, packed, cols, 0, mid, batch, 0, tokens, out, rows);
          Q8Interleaved.matmul(bits, packed, cols, mid, rows, batch, 0, tokens, out, rows);
          for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
              float expected = Q8Interleaved.rowScalar(packed, (long) (r / 16) * (cols / 32) * Q8Interleaved.GROUP_BLOCK_BYTES, cols / 32, r % 16, batch, t);
              assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[t * rows + r]),
                  rows + "x" + cols + " at " + bits + " bits, row " + r + " token " + t);
              // ggml's order on the GGUF layout: the same bits.
              float gguf = ScalarKernels.dotQ8(false, w.data(), r * w.rowBytes(), cols, batch, t);
              assertEquals(Float.floatToRawIntBits(gguf), Float.floatToRawIntBits(expected), "row " + r + " token " + t + " against the GGUF layout");
            }
          }
        }
      }
    }
  }

  @Test
  void repackingKeepsEveryByteWhereTheLayoutSays() {
    try (Arena arena = Arena.ofConfined()) {
      int rows = 32, cols = 64;
      Tensor w = matrix(rows, cols, new SplittableRandom(9), arena);
      MemorySegment packed = repacked(w, arena);
      assertEquals(w.data().byteSize(), packed.byteSize());
      int blocks = cols / 32;
      for (int r = 0; r < rows; r++) {
        for (int b = 0; b < blocks; b++) {
          long group = ((long) (r / 16) * blocks + b) * Q8Interleaved.GROUP_BLOCK_BYTES;
          int lane = r % 16;
          long src = r * w.rowBytes() + 34L * b;
          assertEquals(w.data().get(I16, src), packed.get(I16, group + 2L * lane), "scale of row " + r + " block " + b);
          for (int k = 0; k < 32; k++) {
            long at = group + 32 + 32L * (k / 2) + 2L * lane + (k % 2);
            assertEquals(w.data().get(ValueLayout.JAVA_BYTE, src + 2 + k), packed.get(ValueLayout.JAVA_BYTE, at), "quant " + k + " of row " + r + " block " + b);
          }
        }
      }
    }
  }

  @Test
  void rowsDequantizedFromTheCopyEqualTheOriginals() {
    try (Arena arena = Arena.ofConfined()) {
      int rows = 48, cols = 96;
      Tensor w = matrix(rows, cols, new SplittableRandom(11), arena);
      Tensor packed = w.withInterleaved(repacked(w, arena));
      float[] expected = new float[cols], actual = new float[cols + 3];
      for (int r = 0; r < rows; r++) {
        w.dequantizeRow(r, expected, 0);
        packed.dequantizeRow(r, actual, 3);
        for (int i = 0; i < cols; i++) {
          assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[3 + i]), "row " + r + " element " + i);
        }
      }
    }
  }

  @Test
  void packedGemmGivesTheFmaChainOverDequantizedRows() {
    assumeTrue(PackedGemm.applies(), "512-bit kernels only");
    SplittableRandom rnd = new SplittableRandom(12);
    int rows = 48, cols = PackedGemm.SLICE + 64, tokens = 14;
    try (Arena arena = Arena.ofConfined()) {
      Tensor w = matrix(rows, cols, rnd, arena);
      MemorySegment packed = repacked(w, arena);
      float[] x = KernelDifferentialTest.randomActivations(tokens * cols, rnd);
      Q8Batch batch = new Q8Batch(tokens, cols);
      for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
      int tp = PackedGemm.paddedTokens(tokens);
      float[] xt = new float[cols * tp];
      PackedGemm.packActivations(batch, tokens, cols, 0, cols, xt);
      float[] out = new float[tokens * rows];
      float[] panel = new float[PackedGemm.panelFloats(cols)];
      Q8Interleaved.gemm(packed, cols, 0, 32, xt, tokens, out, rows, panel);
      Q8Interleaved.gemm(packed, cols, 32, 48, xt, tokens, out, rows, panel);
      float[] row = new float[cols];
      for (int r = 0; r < rows; r++) {
        w.dequantizeRow(r, row, 0);
        for (int t = 0; t < tokens; t++) {
          float acc = 0f;
          for (int k = 0; k < cols; k++) acc = Math.fma(row[k], xt[PackedGemm.at(t, k, cols)], acc);
          assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(out[t * rows + r]), "row " + r + " token " + t);
        }
      }
    }
  }

  @Test
  void infiniteOrNanScalesAndPartialRangesAreRefused() {
    try (Arena arena = Arena.ofConfined()) {
      for (short bad : new short[] {(short) 0x7C00, (short) 0xFC00, (short) 0x7E00}) {
        Tensor w = matrix(16, 64, new SplittableRandom(5), arena);
        w.data().set(I16, w.rowBytes() * 7 + 34, bad);
        MemorySegment dst = arena.allocate(Q8Interleaved.byteSize(16, 64), 64);
        assertFalse(Q8Interleaved.repack(w.data(), 64, 0, 1, dst), "scale " + Integer.toHexString(bad & 0xFFFF));
      }
      Tensor w = matrix(32, 64, new SplittableRandom(6), arena);
      MemorySegment packed = repacked(w, arena);
      Q8Batch batch = new Q8Batch(1, 64);
      batch.quantize(0, new float[64], 0, 64);
      float[] out = new float[64];
      IllegalArgumentException partial = assertThrows(IllegalArgumentException.class, () -> Q8Interleaved.matmul(packed, 64, 0, 8, batch, 0, 1, out, 32));
      assertTrue(partial.getMessage().contains("whole groups of 16"), partial.getMessage());
      IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> Q8Interleaved.matmul(packed, 64, 0, 48, batch, 0, 1, out, 48));
      assertTrue(past.getMessage().contains("need more"), past.getMessage());
      assertFalse(Q8Interleaved.applies(24, 64));
      assertTrue(Q8Interleaved.applies(128256, 2048));
    }
  }
}
