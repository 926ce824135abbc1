package ai.edgeai.llm.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q8_0 and Q4_0 weights times {@link Q8Batch} activations with 256-bit vectors: one 8-lane float
 * accumulator per (weight row, activation row), lane {@code k} taking {@code fma(d_w*d_x, sum of
 * products 4k..4k+3, acc)} block after block, then ggml's {@code hsum_float_8}. That is the order
 * of ggml's AVX2 {@code ggml_vec_dot_q{8,4}_0_q8_0}, so results are bit-identical to the scalar
 * reference {@code Tensor.dotQ8}.
 *
 * <p>A weight block's 32 bytes (Q8_0) or 16 bytes (Q4_0) are read as 8 (or 4) little-endian ints,
 * so lane {@code k} already holds the four weights of group {@code k}. Decode ({@link #matvec})
 * masks them into two pairs of 16-bit fields and gets each lane's integer sum from two 32-bit
 * multiplies by packed activation pairs ({@link Q8Batch#PAIR_INTS}); prefill ({@link #tile4})
 * converts weight {@code 4k+j} to float plane {@code j} once and reuses it for four activation
 * rows. Both give the same exact integer sums per lane. A Q4_0 block's 16 quant bytes are read with a 32-byte load, 14 bytes past
 * the block: {@link Kernels} gives the tensor's last row, where that would leave the segment, to
 * {@link Q8Simd128} (same results). A branch for it inside these loops made C2 recompile them
 * over and over, and an extra tail path made it box the accumulators.
 */
final class Q8Simd256 {

  static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
  /** Q4_0: the 16 quant bytes as ints 0..3, twice; lanes 4..7 take the high nibbles. */
  private static final VectorShuffle<Integer> DUP_LOW = VectorShuffle.fromValues(I, 0, 1, 2, 3, 0, 1, 2, 3);
  private static final int P = Q8Batch.PLANE_FLOATS;
  private static final IntVector NIBBLE_SHIFT = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 4, 4, 4, 4}, 0);

  private Q8Simd256() {}

  /** out[outOff + r - from] = row r · activation row {@code xr}, for r in [from, to). */
  static void matvec(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr, float[] out, int outOff, float[] tmp) {
    int blocks = cols / 32;
    int xd = xr * x.blocksPerRow;
    int r = from;
    if (!q4) {
      // Two rows from the two halves of the range at once: two memory streams per thread read
      // faster from DRAM than one.
      int half = (to - from) / 2;
      for (; r < from + half; r++) {
        rowQ8Pair(w, r * rowBytes, (r + half) * rowBytes, blocks, x.d, xd, tmp, x.pairs, out, outOff + r - from, outOff + r + half - from);
      }
      r += half;
    }
    for (; r < to; r++) {
      long base = r * rowBytes;
      out[outOff + r - from] = q4 ? rowQ4(w, base, blocks, x.planes, x.d, xd, tmp, x.pairs) : rowQ8(w, base, blocks, x.planes, x.d, xd, tmp, x.pairs);
    }
  }

  /** {@link #rowQ8} for two rows at once, each row's lanes seeing exactly its operations; writes out[outA], out[outB]. */
  private static void rowQ8Pair(MemorySegment w, long baseA, long baseB, int blocks, float[] xd, int xdOff, float[] tmp, int[] pr,
      float[] out, int outA, int outB) {
    FloatVector accA = FloatVector.zero(F), accB = FloatVector.zero(F);
    int io = xdOff * Q8Batch.PAIR_INTS;
    for (int b = 0; b < blocks; b++, io += Q8Batch.PAIR_INTS) {
      IntVector xe = IntVector.fromArray(I, pr, io), xo = IntVector.fromArray(I, pr, io + 8);
      IntVector be = IntVector.fromArray(I, pr, io + 24), bo = IntVector.fromArray(I, pr, io + 32);
      float dx = xd[xdOff + b];
      long pa = baseA + 34L * b, pb = baseB + 34L * b;
      float da = Float.float16ToFloat(w.get(I16, pa)) * dx;
      float db = Float.float16ToFloat(w.get(I16, pb)) * dx;
      IntVector qa = IntVector.fromMemorySegment(I, w, pa + 2, LE).lanewise(VectorOperators.XOR, 0x80808080);
      IntVector qb = IntVector.fromMemorySegment(I, w, pb + 2, LE).lanewise(VectorOperators.XOR, 0x80808080);
      IntVector ea = qa.and(0x00FF00FF).mul(xe).add(be).lanewise(VectorOperators.ASHR, 16);
      IntVector oa = qa.lanewise(VectorOperators.LSHR, 8).and(0x00FF00FF).mul(xo).add(bo).lanewise(VectorOperators.ASHR, 16);
      IntVector eb = qb.and(0x00FF00FF).mul(xe).add(be).lanewise(VectorOperators.ASHR, 16);
      IntVector ob = qb.lanewise(VectorOperators.LSHR, 8).and(0x00FF00FF).mul(xo).add(bo).lanewise(VectorOperators.ASHR, 16);
      accA = FloatVector.broadcast(F, da).fma((FloatVector) ea.add(oa).convertShape(VectorOperators.I2F, F, 0), accA);
      accB = FloatVector.broadcast(F, db).fma((FloatVector) eb.add(ob).convertShape(VectorOperators.I2F, F, 0), accB);
    }
    accA.intoArray(tmp, 0);
    out[outA] = hsum(tmp);
    accB.intoArray(tmp, 0);
    out[outB] = hsum(tmp);
  }

  /*
   * Decode rows use packed integer products (see Q8Batch.PAIR_INTS): each 32-bit lane holds two
   * weights as a + c * 2^16, one multiply by the activation pair gives the two products' sum in the
   * high half, and one arithmetic shift extracts it. That is fewer vector operations per block than
   * four float planes; the integer partial sums are the same, so the results are too.
   */
  private static float rowQ8(MemorySegment w, long base, int blocks, float[] pl, float[] xd, int xdOff, float[] tmp, int[] pr) {
    FloatVector acc = FloatVector.zero(F);
    int io = xdOff * Q8Batch.PAIR_INTS;
    for (int b = 0; b < blocks; b++, io += Q8Batch.PAIR_INTS) {
      long p = base + 34L * b;
      float db = Float.float16ToFloat(w.get(I16, p)) * xd[xdOff + b];
      // Weights offset by 128 (unsigned 0..255); the biases in planes 3 and 4 take the offset back out.
      IntVector q = IntVector.fromMemorySegment(I, w, p + 2, LE).lanewise(VectorOperators.XOR, 0x80808080);
      IntVector even = q.and(0x00FF00FF).mul(IntVector.fromArray(I, pr, io)).add(IntVector.fromArray(I, pr, io + 24)).lanewise(VectorOperators.ASHR, 16);
      IntVector odd = q.lanewise(VectorOperators.LSHR, 8).and(0x00FF00FF).mul(IntVector.fromArray(I, pr, io + 8)).add(IntVector.fromArray(I, pr, io + 32)).lanewise(VectorOperators.ASHR, 16);
      acc = FloatVector.broadcast(F, db).fma((FloatVector) even.add(odd).convertShape(VectorOperators.I2F, F, 0), acc);
    }
    acc.intoArray(tmp, 0);
    return hsum(tmp);
  }

  private static float rowQ4(MemorySegment w, long base, int blocks, float[] pl, float[] xd, int xdOff, float[] tmp, int[] pr) {
    FloatVector acc = FloatVector.zero(F);
    for (int b = 0; b < blocks; b++) {
      // Lanes 0..3: low nibbles of quant bytes 4k..4k+3; lanes 4..7: their high nibbles.
      IntVector q = IntVector.fromMemorySegment(I, w, base + 18L * b + 2, LE).rearrange(DUP_LOW).lanewise(VectorOperators.LSHR, NIBBLE_SHIFT);
      long p = base + 18L * b;
      float db = Float.float16ToFloat(w.get(I16, p)) * xd[xdOff + b];
      int io = (xdOff + b) * Q8Batch.PAIR_INTS;
      IntVector s = q.and(0x000F000F).mul(IntVector.fromArray(I, pr, io))
          .add(q.lanewise(VectorOperators.LSHR, 8).and(0x000F000F).mul(IntVector.fromArray(I, pr, io + 8)))
          .add(IntVector.fromArray(I, pr, io + 16)).lanewise(VectorOperators.ASHR, 16);
      acc = FloatVector.broadcast(F, db).fma((FloatVector) s.convertShape(VectorOperators.I2F, F, 0), acc);
    }
    acc.intoArray(tmp, 0);
    return hsum(tmp);
  }

  /**
   * Prefill: four activation rows {@code xr0..xr0+3} against weight rows [from, to); writes
   * {@code out[(xr0 + t) * outStride + r]}. Each weight block is decoded once for the four rows;
   * each row's lanes see exactly the operations of {@link #matvec}. Written out by hand: vectors
   * passed between methods that C2 does not inline get boxed.
   */
  static void tile4(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr0, float[] out, int outStride, float[] tmp) {
    if (q4) tile4Q4(w, rowBytes, cols / 32, from, to, x, xr0, out, outStride, tmp);
    else tile4Q8(w, rowBytes, cols / 32, from, to, x, xr0, out, outStride, tmp);
  }

  private static void tile4Q4(MemorySegment w, long rowBytes, int blocks, int from, int to, Q8Batch x, int xr0, float[] out, int outStride, float[] tmp) {
    float[] pl = x.planes;
    float[] xd = x.d;
    int d0 = xr0 * x.blocksPerRow, d1 = d0 + x.blocksPerRow, d2 = d1 + x.blocksPerRow, d3 = d2 + x.blocksPerRow;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int b = 0; b < blocks; b++) {
          long p = base + 18L * b;
          float dw = Float.float16ToFloat(w.get(I16, p));
          IntVector q = IntVector.fromMemorySegment(I, w, p + 2, LE).rearrange(DUP_LOW).lanewise(VectorOperators.LSHR, NIBBLE_SHIFT).and(0x0F0F0F0F);
          FloatVector w0 = ((FloatVector) q.and(0xF).convertShape(VectorOperators.I2F, F, 0)), w1 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 8).and(0xF).convertShape(VectorOperators.I2F, F, 0)), w2 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 16).and(0xF).convertShape(VectorOperators.I2F, F, 0)), w3 = ((FloatVector) q.lanewise(VectorOperators.LSHR, 24).convertShape(VectorOperators.I2F, F, 0));
          int o0 = (d0 + b) * P;
          FloatVector p0 = w0.fma(FloatVector.fromArray(F, pl, o0), FloatVector.fromArray(F, pl, o0 + 32));
          p0 = w1.fma(FloatVector.fromArray(F, pl, o0 + 8), p0);
          p0 = w2.fma(FloatVector.fromArray(F, pl, o0 + 16), p0);
          p0 = w3.fma(FloatVector.fromArray(F, pl, o0 + 24), p0);
          a0 = FloatVector.broadcast(F, dw * xd[d0 + b]).fma(p0, a0);
          int o1 = (d1 + b) * P;
          FloatVector p1 = w0.fma(FloatVector.fromArray(F, pl, o1), FloatVector.fromArray(F, pl, o1 + 32));
          p1 = w1.fma(FloatVector.fromArray(F, pl, o1 + 8), p1);
          p1 = w2.fma(FloatVector.fromArray(F, pl, o1 + 16), p1);
          p1 = w3.fma(FloatVector.fromArray(F, pl, o1 + 24), p1);
          a1 = FloatVector.broadcast(F, dw * xd[d1 + b]).fma(p1, a1);
          int o2 = (d2 + b) * P;
          FloatVector p2 = w0.fma(FloatVector.fromArray(F, pl, o2), FloatVector.fromArray(F, pl, o2 + 32));
          p2 = w1.fma(FloatVector.fromArray(F, pl, o2 + 8), p2);
          p2 = w2.fma(FloatVector.fromArray(F, pl, o2 + 16), p2);
          p2 = w3.fma(FloatVector.fromArray(F, pl, o2 + 24), p2);
          a2 = FloatVector.broadcast(F, dw * xd[d2 + b]).fma(p2, a2);
          int o3 = (d3 + b) * P;
          FloatVector p3 = w0.fma(FloatVector.fromArray(F, pl, o3), FloatVector.fromArray(F, pl, o3 + 32));
          p3 = w1.fma(FloatVector.fromArray(F, pl, o3 + 8), p3);
          p3 = w2.fma(FloatVector.fromArray(F, pl, o3 + 16), p3);
          p3 = w3.fma(FloatVector.fromArray(F, pl, o3 + 24), p3);
          a3 = FloatVector.broadcast(F, dw * xd[d3 + b]).fma(p3, a3);
      }
      a0.intoArray(tmp, 0);
      out[xr0 * outStride + r] = hsum(tmp);
      a1.intoArray(tmp, 0);
      out[(xr0 + 1) * outStride + r] = hsum(tmp);
      a2.intoArray(tmp, 0);
      out[(xr0 + 2) * outStride + r] = hsum(tmp);
      a3.intoArray(tmp, 0);
      out[(xr0 + 3) * outStride + r] = hsum(tmp);
    }
  }

  private static void tile4Q8(MemorySegment w, long rowBytes, int blocks, int from, int to, Q8Batch x, int xr0, float[] out, int outStride, float[] tmp) {
    float[] pl = x.planes;
    float[] xd = x.d;
    int d0 = xr0 * x.blocksPerRow, d1 = d0 + x.blocksPerRow, d2 = d1 + x.blocksPerRow, d3 = d2 + x.blocksPerRow;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int b = 0; b < blocks; b++) {
          long p = base + 34L * b;
          float dw = Float.float16ToFloat(w.get(I16, p));
          IntVector q = IntVector.fromMemorySegment(I, w, p + 2, LE);
          FloatVector w0 = ((FloatVector) q.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0)), w1 = ((FloatVector) q.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0)), w2 = ((FloatVector) q.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0)), w3 = ((FloatVector) q.lanewise(VectorOperators.ASHR, 24).convertShape(VectorOperators.I2F, F, 0));
          int o0 = (d0 + b) * P;
          FloatVector p0 = w0.mul(FloatVector.fromArray(F, pl, o0));
          p0 = w1.fma(FloatVector.fromArray(F, pl, o0 + 8), p0);
          p0 = w2.fma(FloatVector.fromArray(F, pl, o0 + 16), p0);
          p0 = w3.fma(FloatVector.fromArray(F, pl, o0 + 24), p0);
          a0 = FloatVector.broadcast(F, dw * xd[d0 + b]).fma(p0, a0);
          int o1 = (d1 + b) * P;
          FloatVector p1 = w0.mul(FloatVector.fromArray(F, pl, o1));
          p1 = w1.fma(FloatVector.fromArray(F, pl, o1 + 8), p1);
          p1 = w2.fma(FloatVector.fromArray(F, pl, o1 + 16), p1);
          p1 = w3.fma(FloatVector.fromArray(F, pl, o1 + 24), p1);
          a1 = FloatVector.broadcast(F, dw * xd[d1 + b]).fma(p1, a1);
          int o2 = (d2 + b) * P;
          FloatVector p2 = w0.mul(FloatVector.fromArray(F, pl, o2));
          p2 = w1.fma(FloatVector.fromArray(F, pl, o2 + 8), p2);
          p2 = w2.fma(FloatVector.fromArray(F, pl, o2 + 16), p2);
          p2 = w3.fma(FloatVector.fromArray(F, pl, o2 + 24), p2);
          a2 = FloatVector.broadcast(F, dw * xd[d2 + b]).fma(p2, a2);
          int o3 = (d3 + b) * P;
          FloatVector p3 = w0.mul(FloatVector.fromArray(F, pl, o3));
          p3 = w1.fma(FloatVector.fromArray(F, pl, o3 + 8), p3);
          p3 = w2.fma(FloatVector.fromArray(F, pl, o3 + 16), p3);
          p3 = w3.fma(FloatVector.fromArray(F, pl, o3 + 24), p3);
          a3 = FloatVector.broadcast(F, dw * xd[d3 + b]).fma(p3, a3);
      }
      a0.intoArray(tmp, 0);
      out[xr0 * outStride + r] = hsum(tmp);
      a1.intoArray(tmp, 0);
      out[(xr0 + 1) * outStride + r] = hsum(tmp);
      a2.intoArray(tmp, 0);
      out[(xr0 + 2) * outStride + r] = hsum(tmp);
      a3.intoArray(tmp, 0);
      out[(xr0 + 3) * outStride + r] = hsum(tmp);
    }
  }

  /** ggml's hsum_float_8: upper four lanes onto the lower four, then pairs, then the last two. */
  static float hsum(float[] acc) {
    float r0 = acc[0] + acc[4], r1 = acc[1] + acc[5], r2 = acc[2] + acc[6], r3 = acc[3] + acc[7];
    return (r0 + r2) + (r1 + r3);
  }
}
