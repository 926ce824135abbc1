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
 * so lane {@code k} already holds the four weights of group {@code k}; shifts pull out weight
 * {@code 4k+j} for plane {@code j}. Prefill ({@link #tile}) reuses each decoded weight block for
 * four activation rows.
 */
final class Q8Simd256 {

  static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
  /** Q4_0: the 16 quant bytes as ints 0..3, twice; lanes 4..7 take the high nibbles. */
  private static final VectorShuffle<Integer> DUP_LOW = VectorShuffle.fromValues(I, 0, 1, 2, 3, 0, 1, 2, 3);
  /** The same, for a load that ends at the block's end (the quant bytes are ints 4..7). */
  private static final VectorShuffle<Integer> DUP_HIGH = VectorShuffle.fromValues(I, 4, 5, 6, 7, 4, 5, 6, 7);
  private static final IntVector NIBBLE_SHIFT = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 4, 4, 4, 4}, 0);

  private Q8Simd256() {}

  /** out[outOff + r - from] = row r · activation row {@code xr}, for r in [from, to). */
  static void matvec(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr, float[] out, int outOff) {
    int blocks = cols / 32;
    int xd = xr * x.blocksPerRow;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector acc = q4 ? rowQ4(w, base, blocks, x.planes, x.d, xd) : rowQ8(w, base, blocks, x.planes, x.d, xd);
      out[outOff + r - from] = hsum(acc);
    }
  }

  private static FloatVector rowQ8(MemorySegment w, long base, int blocks, float[] pl, float[] xd, int xdOff) {
    FloatVector acc = FloatVector.zero(F);
    int po = xdOff * Q8Batch.PLANE_FLOATS;
    for (int b = 0; b < blocks; b++, po += Q8Batch.PLANE_FLOATS) {
      long p = base + 34L * b;
      float db = Float.float16ToFloat(w.get(I16, p)) * xd[xdOff + b];
      IntVector q = IntVector.fromMemorySegment(I, w, p + 2, LE);
      FloatVector part = q8(q, 0).mul(FloatVector.fromArray(F, pl, po));
      part = q8(q, 1).fma(FloatVector.fromArray(F, pl, po + 8), part);
      part = q8(q, 2).fma(FloatVector.fromArray(F, pl, po + 16), part);
      part = q8(q, 3).fma(FloatVector.fromArray(F, pl, po + 24), part);
      acc = FloatVector.broadcast(F, db).fma(part, acc);
    }
    return acc;
  }

  private static FloatVector rowQ4(MemorySegment w, long base, int blocks, float[] pl, float[] xd, int xdOff) {
    FloatVector acc = FloatVector.zero(F);
    int po = xdOff * Q8Batch.PLANE_FLOATS;
    long limit = w.byteSize() - 32;
    for (int b = 0; b < blocks; b++, po += Q8Batch.PLANE_FLOATS) {
      long p = base + 18L * b;
      float db = Float.float16ToFloat(w.get(I16, p)) * xd[xdOff + b];
      IntVector q = nibbles(w, p, limit);
      FloatVector part = FloatVector.fromArray(F, pl, po + 32);
      part = q4(q, 0).fma(FloatVector.fromArray(F, pl, po), part);
      part = q4(q, 1).fma(FloatVector.fromArray(F, pl, po + 8), part);
      part = q4(q, 2).fma(FloatVector.fromArray(F, pl, po + 16), part);
      part = q4(q, 3).fma(FloatVector.fromArray(F, pl, po + 24), part);
      acc = FloatVector.broadcast(F, db).fma(part, acc);
    }
    return acc;
  }

  /**
   * Prefill: four activation rows {@code xr0..xr0+3} against weight rows [from, to); writes
   * {@code out[(xr0 + t) * outStride + r]}. Each weight block is decoded once for the four rows.
   */
  static void tile4(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr0, float[] out, int outStride) {
    int blocks = cols / 32;
    int bpr = x.blocksPerRow;
    float[] pl = x.planes;
    float[] xd = x.d;
    long limit = w.byteSize() - 32;
    int d0 = xr0 * bpr, d1 = d0 + bpr, d2 = d1 + bpr, d3 = d2 + bpr;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int b = 0; b < blocks; b++) {
        FloatVector w0, w1, w2, w3, off = null;
        float dw;
        if (q4) {
          long p = base + 18L * b;
          dw = Float.float16ToFloat(w.get(I16, p));
          IntVector q = nibbles(w, p, limit);
          w0 = q4(q, 0);
          w1 = q4(q, 1);
          w2 = q4(q, 2);
          w3 = q4(q, 3);
        } else {
          long p = base + 34L * b;
          dw = Float.float16ToFloat(w.get(I16, p));
          IntVector q = IntVector.fromMemorySegment(I, w, p + 2, LE);
          w0 = q8(q, 0);
          w1 = q8(q, 1);
          w2 = q8(q, 2);
          w3 = q8(q, 3);
        }
        a0 = block(q4, w0, w1, w2, w3, pl, (d0 + b) * Q8Batch.PLANE_FLOATS, dw * xd[d0 + b], a0);
        a1 = block(q4, w0, w1, w2, w3, pl, (d1 + b) * Q8Batch.PLANE_FLOATS, dw * xd[d1 + b], a1);
        a2 = block(q4, w0, w1, w2, w3, pl, (d2 + b) * Q8Batch.PLANE_FLOATS, dw * xd[d2 + b], a2);
        a3 = block(q4, w0, w1, w2, w3, pl, (d3 + b) * Q8Batch.PLANE_FLOATS, dw * xd[d3 + b], a3);
      }
      out[xr0 * outStride + r] = hsum(a0);
      out[(xr0 + 1) * outStride + r] = hsum(a1);
      out[(xr0 + 2) * outStride + r] = hsum(a2);
      out[(xr0 + 3) * outStride + r] = hsum(a3);
    }
  }

  private static FloatVector block(boolean q4, FloatVector w0, FloatVector w1, FloatVector w2, FloatVector w3, float[] pl, int po, float db, FloatVector acc) {
    FloatVector part = q4 ? w0.fma(FloatVector.fromArray(F, pl, po), FloatVector.fromArray(F, pl, po + 32)) : w0.mul(FloatVector.fromArray(F, pl, po));
    part = w1.fma(FloatVector.fromArray(F, pl, po + 8), part);
    part = w2.fma(FloatVector.fromArray(F, pl, po + 16), part);
    part = w3.fma(FloatVector.fromArray(F, pl, po + 24), part);
    return FloatVector.broadcast(F, db).fma(part, acc);
  }

  /** Q4_0 block at {@code p}: lanes 0..3 = quant bytes as ints, lanes 4..7 the same shifted right by 4, masked to nibbles. */
  private static IntVector nibbles(MemorySegment w, long p, long limit) {
    IntVector raw;
    // A 32-byte load from the quant bytes may run past the tensor on its very last block; there,
    // load the 32 bytes that end at the block's end instead.
    if (p + 2 <= limit) raw = IntVector.fromMemorySegment(I, w, p + 2, LE).rearrange(DUP_LOW);
    else raw = IntVector.fromMemorySegment(I, w, p + 18 - 32, LE).rearrange(DUP_HIGH);
    return raw.lanewise(VectorOperators.LSHR, NIBBLE_SHIFT).and(0x0F0F0F0F);
  }

  /** Signed byte {@code j} of each int lane, as float. */
  private static FloatVector q8(IntVector q, int j) {
    IntVector v = j == 3 ? q.lanewise(VectorOperators.ASHR, 24) : q.lanewise(VectorOperators.LSHL, 24 - 8 * j).lanewise(VectorOperators.ASHR, 24);
    return (FloatVector) v.convert(VectorOperators.I2F, 0);
  }

  /** Nibble byte {@code j} of each int lane (already masked), as float. */
  private static FloatVector q4(IntVector q, int j) {
    IntVector v = j == 0 ? q.and(0xF) : j == 3 ? q.lanewise(VectorOperators.LSHR, 24) : q.lanewise(VectorOperators.LSHR, 8 * j).and(0xF);
    return (FloatVector) v.convert(VectorOperators.I2F, 0);
  }

  /** ggml's hsum_float_8: upper four lanes onto the lower four, then pairs, then the last two. */
  static float hsum(FloatVector acc) {
    float r0 = acc.lane(0) + acc.lane(4), r1 = acc.lane(1) + acc.lane(5), r2 = acc.lane(2) + acc.lane(6), r3 = acc.lane(3) + acc.lane(7);
    return (r0 + r2) + (r1 + r3);
  }
}
