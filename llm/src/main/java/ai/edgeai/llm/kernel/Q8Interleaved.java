package ai.edgeai.llm.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q8_0 matrices repacked at load into groups of 16 rows, for 512-bit vectors: the weights of 16 rows
 * side by side, so that one vector holds a column pair of every row of a group.
 *
 * <p><b>Layout.</b> Per group and block of 32 columns, 544 bytes (the 16 rows' 16 × 34 bytes): the 16
 * F16 scales (row r at byte 2r), then 16 chunks of 32 bytes; chunk c byte {@code 2r + e} is quant
 * {@code 2c + e} of row r. Widened to 16-bit lanes, a chunk meets one broadcast activation pair
 * ({@link Q8Batch#nibblePairs}: quants 2c, 2c+1) in one multiply; two chunks' products still fit 16
 * bits (|q_w · q_x| ≤ 128 · 127, and Q8_0 activations stay within ±127), then each 32-bit lane's two
 * halves are added as ints: the sum of products 4k..4k+3 of every row, which is ggml's lane k. So the
 * float order is ggml's ({@code ggml_vec_dot_q8_0_q8_0}: eight lane accumulators, one fma with
 * {@code d_w * d_x} per block, then {@code hsum_float_8}), and decode gives the bits of the GGUF
 * layout's kernels ({@link #rowScalar}, {@code Tensor.dotQ8}), in llama.cpp's exact mode too.
 * Prompt batches dequantize the groups into {@link PackedGemm}'s panels ({@link #gemm}; float
 * results in that kernel's order).
 *
 * <p>Repacking is used only with 512-bit kernels ({@link #worthwhile}).
 */
public final class Q8Interleaved {

  /** Rows per group. */
  public static final int ROWS = 16;
  /** Bytes per group and block: 16 rows × 34 bytes. */
  public static final int GROUP_BLOCK_BYTES = ROWS * 34;

  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
  private static final float F16_RESCALE = 0x1p112f;

  private Q8Interleaved() {}

  /** True when a Q8_0 matrix of this shape can be repacked (whole row groups, whole blocks). */
  public static boolean applies(long rows, int cols) {
    return rows % ROWS == 0 && cols % 32 == 0 && rows > 0;
  }

  /**
   * True when these kernels run: 512-bit vectors (a group is one vector of 16 floats). Elsewhere
   * the GGUF-layout kernels stay ({@link Q8Simd256}).
   */
  public static boolean worthwhile() {
    return Kernels.floatBits() == 512;
  }

  /** Bytes of a repacked {@code rows × cols} matrix (as many as the GGUF tensor). */
  public static long byteSize(long rows, int cols) {
    return rows / ROWS * (cols / 32) * (long) GROUP_BLOCK_BYTES;
  }

  /**
   * Repacks row groups [g0, g1) of a GGUF-layout Q8_0 matrix {@code src} into {@code dst}. Returns
   * false, leaving the work unfinished, when a scale is infinite or NaN (the kernels convert scales
   * with arithmetic exact for finite values only): such a matrix keeps its GGUF layout.
   */
  public static boolean repack(MemorySegment src, int cols, long g0, long g1, MemorySegment dst) {
    return RowGroups.repack(src, cols / 32, 16, g0, g1, dst);
  }


  /**
   * Scalar reference on the repacked layout: lane {@code lane} of the group at {@code base} times
   * activation row {@code t}, in ggml's order (eight lane sums of four products each, then
   * {@code hsum_float_8}), so the same bits as {@code Tensor.dotQ8} on the original row.
   */
  static float rowScalar(MemorySegment w, long base, int blocks, int lane, Q8Batch x, int t) {
    int qo = t * x.maxCols;
    int dO = t * x.blocksPerRow;
    float[] acc = new float[8];
    for (int b = 0; b < blocks; b++) {
      long p = base + (long) GROUP_BLOCK_BYTES * b;
      float d = Float.float16ToFloat(w.get(I16, p + 2L * lane)) * x.d[dO + b];
      for (int k = 0; k < 8; k++) {
        int isum = 0;
        for (int j = 4 * k; j < 4 * k + 4; j++) isum += w.get(ValueLayout.JAVA_BYTE, p + 32 + 32L * (j / 2) + 2L * lane + (j & 1)) * x.qs[qo + 32 * b + j];
        acc[k] = Math.fma(d, (float) isum, acc[k]);
      }
    }
    float r0 = acc[0] + acc[4], r1 = acc[1] + acc[5], r2 = acc[2] + acc[6], r3 = acc[3] + acc[7];
    return (r0 + r2) + (r1 + r3);
  }

  /**
   * Rows [from, to) (multiples of 16) of a repacked {@code ? × cols} matrix times activation rows
   * [xFrom, xTo) of {@code x}, one row at a time: {@code out[t * outStride + r]}, the bits of
   * {@link #rowScalar} and so of the GGUF layout's reference ({@code Tensor.dotQ8}, ggml's order).
   * (Prompt batches go to {@link #gemm} unless those bits are asked for.)
   */
  public static void matmul(MemorySegment w, int cols, int from, int to, Q8Batch x, int xFrom, int xTo, float[] out, int outStride) {
    matmul(Kernels.floatBits(), w, cols, from, to, x, xFrom, xTo, out, outStride);
  }

  static void matmul(int bits, MemorySegment w, int cols, int from, int to, Q8Batch x, int xFrom, int xTo, float[] out, int outStride) {
    if (from % ROWS != 0 || to % ROWS != 0) throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not whole groups of " + ROWS);
    if (cols > x.maxCols) throw new IllegalArgumentException("row length " + cols + " exceeds the batch's " + x.maxCols);
    if (cols % 32 != 0) throw new IllegalArgumentException("row length " + cols + " is not a multiple of 32");
    int blocks = cols / 32;
    long groupBytes = (long) blocks * GROUP_BLOCK_BYTES;
    if (w.byteSize() < to / ROWS * groupBytes) throw new IllegalArgumentException("repacked matrix has " + w.byteSize() + " bytes, rows up to " + to + " need more");
    for (int t = xFrom; t < xTo; t++) {
      int g = from / ROWS, end = to / ROWS;
      if (bits == 512) {
        for (; g < end; g++) Simd512.group1(w, g * groupBytes, blocks, x, t, out, outStride, g * ROWS);
      } else {
        for (; g < end; g++) {
          for (int lane = 0; lane < ROWS; lane++) out[t * outStride + g * ROWS + lane] = rowScalar(w, g * groupBytes, blocks, lane, x, t);
        }
      }
    }
  }

  /**
   * Prefill with 512-bit vectors ({@link PackedGemm#applies}): as {@link Q4Interleaved#gemm}, for
   * a repacked Q8_0 matrix. {@code panel} holds at least {@link PackedGemm#panelFloats}{@code (cols)} floats.
   */
  public static void gemm(MemorySegment w, int cols, int from, int to, float[] xt, int tokens, float[] out, int outStride, float[] panel) {
    PackedGemm.repacked(Simd512::dequantizePanel, GROUP_BLOCK_BYTES, w, cols, from, to, xt, tokens, out, outStride, panel);
  }

  /** The 512-bit kernels: one 16-row group per vector. */
  private static final class Simd512 {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    static final VectorSpecies<Short> SCALES = ShortVector.SPECIES_256;
    static final VectorSpecies<Byte> CHUNK = ByteVector.SPECIES_256;

    /**
     * One 16-row group at {@code base} times activation row {@code t}: {@code out[t * outStride + r0 ..+16]}.
     * Accumulator {@code a_k} is ggml's lane k for all 16 rows: chunks 2k and 2k+1 hold weights
     * 4k..4k+3, whose products' sum (exact, in ints) meets {@code d_w * d_x} in one fma per block.
     */
    static void group1(MemorySegment w, long base, int blocks, Q8Batch x, int t, float[] out, int outStride, int r0) {
      int[] xp = x.nibblePairs;
      float[] xd = x.d;
      int x0 = t * x.blocksPerRow;
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      for (int b = 0; b < blocks; b++) {
        long p0 = base + (long) GROUP_BLOCK_BYTES * b;
        int o0 = (x0 + b) * 16;
        IntVector hdw = (IntVector) ShortVector.fromMemorySegment(SCALES, w, p0, LE).convertShape(VectorOperators.S2I, I, 0);
        FloatVector d = ((FloatVector) ((IntVector) ((FloatVector) hdw.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretShape(F, 0))
            .mul(F16_RESCALE).reinterpretShape(I, 0)).or(hdw.and(0x80000000)).reinterpretShape(F, 0)).mul(xd[x0 + b]);
        // The sixteen chunks are written out: C2 boxes a vector carried around a loop over them.
        ShortVector s;
        IntVector v;
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 32, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 0]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 64, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 1]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a0 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a0);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 96, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 2]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 128, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 3]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a1 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a1);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 160, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 4]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 192, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 5]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a2 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a2);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 224, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 6]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 256, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 7]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a3 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a3);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 288, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 8]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 320, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 9]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a4 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a4);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 352, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 10]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 384, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 11]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a5 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a5);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 416, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 12]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 448, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 13]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a6 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a6);
        s = ((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 480, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 14]).reinterpretShape(S, 0))
            .add(((ShortVector) ByteVector.fromMemorySegment(CHUNK, w, p0 + 512, LE).convertShape(VectorOperators.B2S, S, 0)).mul((ShortVector) IntVector.broadcast(I, xp[o0 + 15]).reinterpretShape(S, 0)));
        v = (IntVector) s.reinterpretShape(I, 0);
        a7 = d.fma((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.ASHR, 16)).convertShape(VectorOperators.I2F, F, 0), a7);
      }
      // ggml's hsum_float_8: upper four lanes onto the lower four, then pairs, then the last two.
      a0.add(a4).add(a2.add(a6)).add(a1.add(a5).add(a3.add(a7))).intoArray(out, t * outStride + r0);
    }

    /**
     * Blocks [b0, b1) of the row group at {@code base} as floats into {@link PackedGemm}'s k-major
     * panel, lanes {@code lane0 .. lane0 + 15}. Chunk c's 16-bit lane r holds row r's quants 2c (low
     * byte) and 2c + 1 (high byte), each signed.
     */
    static void dequantizePanel(MemorySegment w, long base, int b0, int b1, float[] panel, int lane0, int scalesAt) {
      for (int b = b0; b < b1; b++) {
        long p = base + (long) GROUP_BLOCK_BYTES * b;
        for (int lane = 0; lane < ROWS; lane++) panel[scalesAt + lane] = Float.float16ToFloat(w.get(I16, p + 2L * lane));
        FloatVector d = FloatVector.fromArray(F, panel, scalesAt);
        int o = 32 * (b - b0) * PackedGemm.ROWS + lane0;
        // A loop (no vector carried from one chunk to the next): written out, the method is too
        // large for C1's profiling tier and C2 never compiles it.
        for (int c = 0; c < 16; c++) {
          IntVector v = (IntVector) ShortVector.fromMemorySegment(SCALES, w, p + 32 + 32 * c, LE).convertShape(VectorOperators.S2I, I, 0);
          int oc = o + 2 * c * PackedGemm.ROWS;
          ((FloatVector) v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(panel, oc);
          ((FloatVector) v.lanewise(VectorOperators.ASHR, 8).convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(panel, oc + PackedGemm.ROWS);
        }
      }
    }
  }
}
