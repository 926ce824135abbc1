package ai.edgeai.llm.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Q8Simd256} for 128-bit SIMD (NEON, SSE): ggml's 8-lane accumulator kept as two 4-lane
 * halves (lanes 0..3 and 4..7), so every lane sees the same operations in the same order and the
 * results stay bit-identical to {@code Tensor.dotQ8}.
 */
final class Q8Simd128 {

  static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
  private static final int P = Q8Batch.PLANE_FLOATS;

  private Q8Simd128() {}

  /**
   * One vector of 4 lanes per half of ggml's 8-lane accumulator. The Q4_0 and Q8_0 loops are separate
   * methods: vectors merged from the two branches of a shared loop (a phi of vectors) are not
   * scalar-replaced by C2 and get boxed on every block.
   */
  static void matvec(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr, float[] out, int outOff, float[] tmp) {
    if (q4) matvecQ4(w, rowBytes, cols, from, to, x, xr, out, outOff, tmp);
    else matvecQ8(w, rowBytes, cols, from, to, x, xr, out, outOff, tmp);
  }

  private static void matvecQ4(MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr, float[] out, int outOff, float[] tmp) {
    int blocks = cols / 32;
    int xd = xr * x.blocksPerRow;
    float[] pl = x.planes;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector lo = FloatVector.zero(F), hi = FloatVector.zero(F);
      for (int b = 0; b < blocks; b++) {
        // block_q4_0: half d | u8 qs[16]; low nibbles = elements 0..15, high nibbles = 16..31
        long p = base + 18L * b;
        float db = Float.float16ToFloat(w.get(I16, p)) * x.d[xd + b];
        FloatVector dv = FloatVector.broadcast(F, db);
        int po = (xd + b) * P;
        IntVector raw = IntVector.fromMemorySegment(I, w, p + 2, LE);
        IntVector ql = raw.and(0x0F0F0F0F);
        IntVector qh = raw.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F);
        // planes 32..39 hold -8 × the activation sums of each lane's 4 elements (the q - 8 offset)
        FloatVector sl = FloatVector.fromArray(F, pl, po + 32);
        FloatVector sh = FloatVector.fromArray(F, pl, po + 36);
        for (int j = 0; j < 4; j++) {
          IntVector vl = ql.lanewise(VectorOperators.LSHR, 8 * j).and(0xF);
          IntVector vh = qh.lanewise(VectorOperators.LSHR, 8 * j).and(0xF);
          sl = ((FloatVector) vl.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, pl, po + 8 * j), sl);
          sh = ((FloatVector) vh.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, pl, po + 4 + 8 * j), sh);
        }
        lo = dv.fma(sl, lo);
        hi = dv.fma(sh, hi);
      }
      lo.intoArray(tmp, 0);
      hi.intoArray(tmp, 4);
      out[outOff + r - from] = Q8Simd256.hsum(tmp);
    }
  }

  private static void matvecQ8(MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr, float[] out, int outOff, float[] tmp) {
    int blocks = cols / 32;
    int xd = xr * x.blocksPerRow;
    float[] pl = x.planes;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector lo = FloatVector.zero(F), hi = FloatVector.zero(F);
      for (int b = 0; b < blocks; b++) {
        // block_q8_0: half d | int8 qs[32]
        long p = base + 34L * b;
        float db = Float.float16ToFloat(w.get(I16, p)) * x.d[xd + b];
        FloatVector dv = FloatVector.broadcast(F, db);
        int po = (xd + b) * P;
        IntVector ql = IntVector.fromMemorySegment(I, w, p + 2, LE);
        IntVector qh = IntVector.fromMemorySegment(I, w, p + 18, LE);
        FloatVector sl = FloatVector.zero(F);
        FloatVector sh = FloatVector.zero(F);
        for (int j = 0; j < 4; j++) {
          // byte j of each int lane, sign-extended
          IntVector vl = ql.lanewise(VectorOperators.LSHL, 24 - 8 * j).lanewise(VectorOperators.ASHR, 24);
          IntVector vh = qh.lanewise(VectorOperators.LSHL, 24 - 8 * j).lanewise(VectorOperators.ASHR, 24);
          sl = ((FloatVector) vl.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, pl, po + 8 * j), sl);
          sh = ((FloatVector) vh.convertShape(VectorOperators.I2F, F, 0)).fma(FloatVector.fromArray(F, pl, po + 4 + 8 * j), sh);
        }
        lo = dv.fma(sl, lo);
        hi = dv.fma(sh, hi);
      }
      lo.intoArray(tmp, 0);
      hi.intoArray(tmp, 4);
      out[outOff + r - from] = Q8Simd256.hsum(tmp);
    }
  }

  static void tile4(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr0, float[] out, int outStride, float[] tmp) {
    for (int t = xr0; t < xr0 + 4; t++) matvec(q4, w, rowBytes, cols, from, to, x, t, out, t * outStride + from, tmp);
  }

}
