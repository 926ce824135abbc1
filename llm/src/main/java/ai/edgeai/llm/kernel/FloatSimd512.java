package ai.edgeai.llm.kernel;

import ai.edgeai.llm.tensor.Dequantize;
import ai.edgeai.llm.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float-activation kernels with 512-bit vectors. FloatSimd128/256/512 are the same source
 * but for the width (keep them so): one class per width, so the species is a compile-time constant; a species passed as a parameter is not, and
 * then the Vector API boxes every vector on the heap.
 *
 * <p>Weight rows other than F32 are first dequantized with the scalar reference
 * ({@link Dequantize#row}, bit-exact to ggml) into a per-thread scratch row, then multiplied; the
 * same function serves decode and prefill, so a prompt token gets the very same logits either way.
 */
final class FloatSimd512 {

  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatSimd512() {}

  /** a[aOff..aOff+n) · b[bOff..bOff+n): lane-wise FMA accumulators, one reduction, scalar tail. */
  static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    int L = S.length();
    int upper = n - n % (2 * L);
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i < upper; i += 2 * L) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) sum += a[aOff + i] * b[bOff + i]; // multiply, then add: short rows (small heads) match the scalar loop exactly
    return sum;
  }

  /** The same as {@link #dot} with {@code a} an F32 row in a memory segment. */
  static float dotSegment(MemorySegment a, long aOff, float[] b, int bOff, int n) {
    int L = S.length();
    int upper = n - n % (2 * L);
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i < upper; i += 2 * L) {
      acc0 = FloatVector.fromMemorySegment(S, a, aOff + 4L * i, ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromMemorySegment(S, a, aOff + 4L * (i + L), ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) sum += a.get(F32, aOff + 4L * i) * b[bOff + i];
    return sum;
  }

  /** y[yOff..) += a * x[xOff..): a multiply then an add per element, bit-identical to the scalar loop. */
  static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    int upper = S.loopBound(n);
    int i = 0;
    FloatVector av = FloatVector.broadcast(S, a);
    for (; i < upper; i += S.length()) {
      FloatVector.fromArray(S, x, xOff + i).mul(av).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) y[yOff + i] += a * x[xOff + i];
  }

  /**
   * Rows [from, to) of {@code w} times {@code rows} activation rows {@code x[t*xStride ..]};
   * writes {@code out[t*outStride + r + outOff]}. Each weight row is dequantized once for all rows.
   */
  static void matmul(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outOff, int outStride, float[] scratch) {
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      if (type == GgmlType.F32) {
        for (int t = 0; t < rows; t++) out[t * outStride + outOff + r] = dotSegment(w, base, x, t * xStride, cols);
      } else {
        Dequantize.row(type, w, base, scratch, 0, cols);
        for (int t = 0; t < rows; t++) out[t * outStride + outOff + r] = dot(scratch, 0, x, t * xStride, cols);
      }
    }
  }
}
