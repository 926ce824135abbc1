package ai.edgeai.llm.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_0 weights times {@link Q8Batch} activations in the order of ggml's repacked Q4_0 kernel
 * ({@code ggml_gemv_q4_0_8x8_q8_0}, AVX2), which llama.cpp's CPU backend uses for Q4_0 matrices
 * whose row count is a multiple of 8 (it interleaves eight rows at load): per weight row, each
 * block's exact integer dot product, converted to float, is fused-multiply-added with
 * {@code d_w * d_x} into one float accumulator, block after block (no 8-lane split, no horizontal
 * sum). {@link Kernels#matmulQ8} keeps {@code ggml_vec_dot_q4_0_q8_0}'s order, which llama.cpp uses
 * for the other Q4_0 matrices.
 *
 * <p>The 256-bit path computes the integer sums with the packed-pair scheme of {@link Q8Simd256}
 * (the same exact partial sums) and adds its eight lanes; the scalar path sums the products
 * directly. Both give the same bits.
 */
public final class Q4Repacked {

  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

  private Q4Repacked() {}

  /** The vector path, in its own class so this one loads where the Vector API is absent. */
  private static final class Simd {
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    static final VectorShuffle<Integer> DUP_LOW = VectorShuffle.fromValues(I, 0, 1, 2, 3, 0, 1, 2, 3);
    static final IntVector NIBBLE_SHIFT = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 4, 4, 4, 4}, 0);

    static float rowSimd(MemorySegment w, long base, int blocks, Q8Batch x, int t) {
      int[] pr = x.pairs;
      int dO = t * x.blocksPerRow;
      float acc = 0f;
      for (int b = 0; b < blocks; b++) {
        long p = base + 18L * b;
        // Lanes 0..3: low nibbles of quant bytes 4k..4k+3; lanes 4..7: their high nibbles.
        IntVector q = IntVector.fromMemorySegment(I, w, p + 2, LE).rearrange(DUP_LOW).lanewise(VectorOperators.LSHR, NIBBLE_SHIFT);
        int io = (dO + b) * Q8Batch.PAIR_INTS;
        IntVector s = q.and(0x000F000F).mul(IntVector.fromArray(I, pr, io))
            .add(q.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).mul(IntVector.fromArray(I, pr, io + 8)))
            .add(IntVector.fromArray(I, pr, io + 16)).lanewise(VectorOperators.ASHR, 16);
        int isum = s.reduceLanes(VectorOperators.ADD);
        acc = Math.fma((float) isum, Float.float16ToFloat(w.get(I16, p)) * x.d[dO + b], acc);
      }
      return acc;
    }
  }

  /** True when llama.cpp would repack a Q4_0 matrix of this many rows (x86 AVX2 and up). */
  public static boolean applies(long rows) {
    return rows % 8 == 0;
  }

  /**
   * Rows [from, to) of a Q4_0 matrix times activation rows [xFrom, xTo):
   * {@code out[t * outStride + r] = row r · x row t}.
   */
  public static void matmul(MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xFrom, int xTo,
      float[] out, int outStride) {
    if (cols > x.maxCols) throw new IllegalArgumentException("row length " + cols + " exceeds the batch's " + x.maxCols);
    boolean simd = Kernels.floatBits() >= 256;
    int blocks = cols / 32;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      // The vector load reads 32 bytes at each block's quants (14 past the block): not on the segment's last row.
      boolean vector = simd && base + 18L * blocks + 14 <= w.byteSize();
      for (int t = xFrom; t < xTo; t++) {
        out[t * outStride + r] = vector ? Simd.rowSimd(w, base, blocks, x, t) : rowScalar(w, base, blocks, x, t);
      }
    }
  }

  /** Scalar reference: one row times activation row {@code t}. */
  static float rowScalar(MemorySegment w, long base, int blocks, Q8Batch x, int t) {
    int qo = t * x.maxCols;
    int dO = t * x.blocksPerRow;
    float acc = 0f;
    for (int b = 0; b < blocks; b++) {
      long p = base + 18L * b;
      int o = qo + 32 * b;
      int isum = 0;
      for (int j = 0; j < 16; j++) {
        int q = w.get(ValueLayout.JAVA_BYTE, p + 2 + j) & 0xFF;
        isum += ((q & 0x0F) - 8) * x.qs[o + j] + ((q >>> 4) - 8) * x.qs[o + j + 16];
      }
      acc = Math.fma((float) isum, Float.float16ToFloat(w.get(I16, p)) * x.d[dO + b], acc);
    }
    return acc;
  }


}
