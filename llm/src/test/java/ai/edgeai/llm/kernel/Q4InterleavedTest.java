package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Q4Interleaved}: at every width, for one token or many, any range of whole row groups, the
 * repacked kernels give the bits of {@link Q4Repacked#rowScalar} on the original GGUF layout
 * (ggml's repacked Q4_0 order); the repacking keeps every byte; bad inputs are refused.
 */
class Q4InterleavedTest {

  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  static MemorySegment repacked(Tensor w, Arena arena) {
    MemorySegment dst = arena.allocate(Q4Interleaved.byteSize(w.rows(), w.cols()), 64);
    assertTrue(Q4Interleaved.repack(w.data(), w.cols(), 0, w.rows() / Q4Interleaved.ROWS, dst));
    return dst;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void everyWidthGivesTheRepackedOrdersBits(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed + 300);
    // rows x cols x tokens: one group, odd block counts, tails of the 4-token tile, many groups.
    for (int[] shape : new int[][] {{16, 32, 1}, {16, 96, 5}, {48, 224, 3}, {64, 2048, 9}, {96, 160, 1}, {32, 64, 4}}) {
      int rows = shape[0], cols = shape[1], tokens = shape[2];
      try (Arena arena = Arena.ofConfined()) {
        Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, rows, cols, rnd, arena);
        // Scales of every kind the F16 conversion must get right: negative, subnormal, zero, largest finite.
        w.data().set(I16, 0, Float.floatToFloat16(-0.75f));
        w.data().set(I16, w.rowBytes() * 2, (short) 0x0003); // subnormal
        w.data().set(I16, w.rowBytes() * 3 + 18, (short) 0x8000); // negative zero
        w.data().set(I16, w.rowBytes() * 4, (short) 0x7BFF); // 65504
        w.data().set(I16, w.rowBytes() * 5, (short) 0x83FF); // negative subnormal
        float[] x = KernelDifferentialTest.randomActivations(tokens * cols, rnd);
        Q8Batch batch = new Q8Batch(tokens, cols + 32);
        for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
        MemorySegment packed = repacked(w, arena);
        for (int bits : new int[] {0, 128, 256, 512}) {
          float[] out = new float[tokens * rows];
          // Split into two ranges of whole groups, as the worker pool does.
          int mid = rows / 32 * 16;
          Q4Interleaved.matmul(bits, packed, cols, 0, mid, batch, 0, tokens, out, rows, new float[cols]);
          Q4Interleaved.matmul(bits, packed, cols, mid, rows, batch, 0, tokens, out, rows, new float[cols]);
          for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
              float expected = Q4Repacked.rowScalar(w.data(), r * w.rowBytes(), cols / 32, batch, t);
              assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[t * rows + r]),
                  rows + "x" + cols + ", " + tokens + " tokens at " + bits + " bits, row " + r + " token " + t + ": " + expected + " vs " + out[t * rows + r]);
            }
          }
        }
      }
    }
  }

  @Test
  void repackingKeepsEveryByteAndThePositionsTheLayoutStates() {
    try (Arena arena = Arena.ofConfined()) {
      int rows = 32, cols = 64;
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, rows, cols, new SplittableRandom(9), arena);
      MemorySegment packed = repacked(w, arena);
      assertEquals(w.data().byteSize(), packed.byteSize());
      int blocks = cols / 32;
      for (int r = 0; r < rows; r++) {
        for (int b = 0; b < blocks; b++) {
          long group = ((long) (r / 16) * blocks + b) * Q4Interleaved.GROUP_BLOCK_BYTES;
          int lane = r % 16;
          long src = r * w.rowBytes() + 18L * b;
          assertEquals(w.data().get(I16, src), packed.get(I16, group + 2L * lane), "scale of row " + r + " block " + b);
          for (int i = 0; i < 16; i++) {
            long at = group + 32 + 32L * (i / 2) + 2L * lane + (i % 2);
            assertEquals(w.data().get(ValueLayout.JAVA_BYTE, src + 2 + i), packed.get(ValueLayout.JAVA_BYTE, at), "quant byte " + i + " of row " + r + " block " + b);
          }
        }
      }
    }
  }

  @Test
  void rowsDequantizedFromTheCopyEqualTheOriginals() {
    try (Arena arena = Arena.ofConfined()) {
      int rows = 48, cols = 96;
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, rows, cols, new SplittableRandom(11), arena);
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
  void infiniteOrNanScalesAreRefused() {
    for (short bad : new short[] {(short) 0x7C00, (short) 0xFC00, (short) 0x7E00}) {
      try (Arena arena = Arena.ofConfined()) {
        Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, 16, 64, new SplittableRandom(5), arena);
        w.data().set(I16, w.rowBytes() * 7 + 18, bad);
        MemorySegment dst = arena.allocate(Q4Interleaved.byteSize(16, 64), 64);
        assertFalse(Q4Interleaved.repack(w.data(), 64, 0, 1, dst), "scale " + Integer.toHexString(bad & 0xFFFF));
      }
    }
  }

  @Test
  void rangesMustBeWholeGroupsAndFitTheCopy() {
    try (Arena arena = Arena.ofConfined()) {
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, 32, 64, new SplittableRandom(6), arena);
      MemorySegment packed = repacked(w, arena);
      Q8Batch batch = new Q8Batch(1, 64);
      batch.quantize(0, new float[64], 0, 64);
      float[] out = new float[64];
      IllegalArgumentException partial = assertThrows(IllegalArgumentException.class, () -> Q4Interleaved.matmul(packed, 64, 0, 8, batch, 0, 1, out, 32, new float[64]));
      assertTrue(partial.getMessage().contains("whole groups of 16"), partial.getMessage());
      IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> Q4Interleaved.matmul(packed, 64, 0, 48, batch, 0, 1, out, 48, new float[64]));
      assertTrue(past.getMessage().contains("need more"), past.getMessage());
      assertFalse(Q4Interleaved.applies(24, 64));
      assertFalse(Q4Interleaved.applies(16, 48));
      assertTrue(Q4Interleaved.applies(128256, 2048));
    }
  }

  @Test
  void aTensorCarriesOnlyAnExactlySizedCopyOfItsOwnQ4_0Bytes() {
    try (Arena arena = Arena.ofConfined()) {
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, 16, 64, new SplittableRandom(7), arena);
      assertEquals(null, w.interleaved());
      MemorySegment packed = repacked(w, arena);
      assertEquals(packed, w.withInterleaved(packed).interleaved());
      assertThrows(IllegalArgumentException.class, () -> w.withInterleaved(arena.allocate(18)));
      Tensor f16 = KernelDifferentialTest.randomTensor(GgmlType.F16, 16, 64, new SplittableRandom(8), arena);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f16.withInterleaved(packed));
      assertTrue(e.getMessage().contains("only Q4_0 and Q8_0"), e.getMessage());
      Tensor q8 = KernelDifferentialTest.randomTensor(GgmlType.Q8_0, 16, 64, new SplittableRandom(8), arena);
      IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> q8.withInterleaved(packed));
      assertTrue(size.getMessage().contains("repacked copy"), size.getMessage());
    }
  }
}
