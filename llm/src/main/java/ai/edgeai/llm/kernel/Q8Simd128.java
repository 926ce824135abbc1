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

  static void matvec(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr, float[] out, int outOff) {
    int blocks = cols / 32;
    int xd = xr * x.blocksPerRow;
    float[] pl = x.planes;
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      FloatVector lo = FloatVector.zero(F), hi = lo;
      for (int b = 0; b < blocks; b++) {
        long p = base + (q4 ? 18L : 34L) * b;
        float db = Float.float16ToFloat(w.get(I16, p)) * x.d[xd + b];
        FloatVector dv = FloatVector.broadcast(F, db);
        int po = (xd + b) * P;
        IntVector ql, qh;
        if (q4) {
          IntVector raw = IntVector.fromMemorySegment(I, w, p + 2, LE);
          ql = raw.and(0x0F0F0F0F);
          qh = raw.lanewise(VectorOperators.LSHR, 4).and(0x0F0F0F0F);
        } else {
          ql = IntVector.fromMemorySegment(I, w, p + 2, LE);
          qh = IntVector.fromMemorySegment(I, w, p + 18, LE);
        }
        lo = dv.fma(part(q4, ql, pl, po), lo);
        hi = dv.fma(part(q4, qh, pl, po + 4), hi);
      }
      out[outOff + r - from] = hsum(lo, hi);
    }
  }

  static void tile4(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to, Q8Batch x, int xr0, float[] out, int outStride) {
    for (int t = xr0; t < xr0 + 4; t++) matvec(q4, w, rowBytes, cols, from, to, x, t, out, t * outStride + from);
  }

  /** Lanes' partial sums: plane j times weight byte j of each int lane (plus the Q4_0 offset plane). */
  private static FloatVector part(boolean q4, IntVector q, float[] pl, int po) {
    FloatVector s = q4 ? FloatVector.fromArray(F, pl, po + 32) : FloatVector.zero(F);
    for (int j = 0; j < 4; j++) {
      IntVector v = q4 ? q.lanewise(VectorOperators.LSHR, 8 * j).and(0xF)
          : q.lanewise(VectorOperators.LSHL, 24 - 8 * j).lanewise(VectorOperators.ASHR, 24);
      s = ((FloatVector) v.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, pl, po + 8 * j), s);
    }
    return s;
  }

  private static float hsum(FloatVector lo, FloatVector hi) {
    float r0 = lo.lane(0) + hi.lane(0), r1 = lo.lane(1) + hi.lane(1), r2 = lo.lane(2) + hi.lane(2), r3 = lo.lane(3) + hi.lane(3);
    return (r0 + r2) + (r1 + r3);
  }
}
