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
 * Float-activation kernels, written once over a species parameter. Every entry point is reached
 * through {@link #S128}/{@link #S256}/{@link #S512} wrappers whose species is a constant, so C2
 * inlines these small bodies with a constant species (the pattern the Vector API's own code uses).
 *
 * <p>Weight rows other than F32 are first dequantized with the scalar reference
 * ({@link Dequantize#row}, bit-exact to ggml) into a per-thread scratch row, then multiplied; the
 * same function serves decode and prefill, so a prompt token gets the very same logits either way.
 */
final class FloatSimd {

  static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
  static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
  static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatSimd() {}

  /** a[aOff..aOff+n) · b[bOff..bOff+n): lane-wise FMA accumulators, one reduction, scalar tail. */
  static float dot(VectorSpecies<Float> s, float[] a, int aOff, float[] b, int bOff, int n) {
    int L = s.length();
    int upper = n - n % (2 * L);
    FloatVector acc0 = FloatVector.zero(s), acc1 = acc0;
    int i = 0;
    for (; i < upper; i += 2 * L) {
      acc0 = FloatVector.fromArray(s, a, aOff + i).fma(FloatVector.fromArray(s, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(s, a, aOff + i + L).fma(FloatVector.fromArray(s, b, bOff + i + L), acc1);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) sum = Math.fma(a[aOff + i], b[bOff + i], sum);
    return sum;
  }

  /** The same as {@link #dot} with {@code a} an F32 row in a memory segment. */
  static float dotSegment(VectorSpecies<Float> s, MemorySegment a, long aOff, float[] b, int bOff, int n) {
    int L = s.length();
    int upper = n - n % (2 * L);
    FloatVector acc0 = FloatVector.zero(s), acc1 = acc0;
    int i = 0;
    for (; i < upper; i += 2 * L) {
      acc0 = FloatVector.fromMemorySegment(s, a, aOff + 4L * i, ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(s, b, bOff + i), acc0);
      acc1 = FloatVector.fromMemorySegment(s, a, aOff + 4L * (i + L), ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(s, b, bOff + i + L), acc1);
    }
    float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) sum = Math.fma(a.get(F32, aOff + 4L * i), b[bOff + i], sum);
    return sum;
  }

  /** y[yOff..) += a * x[xOff..): a multiply then an add per element, bit-identical to the scalar loop. */
  static void axpy(VectorSpecies<Float> s, float a, float[] x, int xOff, float[] y, int yOff, int n) {
    int upper = s.loopBound(n);
    int i = 0;
    FloatVector av = FloatVector.broadcast(s, a);
    for (; i < upper; i += s.length()) {
      FloatVector.fromArray(s, x, xOff + i).mul(av).add(FloatVector.fromArray(s, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) y[yOff + i] += a * x[xOff + i];
  }

  /** {@link #dot} with the species of {@code bits} (a constant at each call site below). */
  static float dot(int bits, float[] a, int aOff, float[] b, int bOff, int n) {
    return switch (bits) {
      case 512 -> dot(S512, a, aOff, b, bOff, n);
      case 256 -> dot(S256, a, aOff, b, bOff, n);
      default -> dot(S128, a, aOff, b, bOff, n);
    };
  }

  static float dotSegment(int bits, MemorySegment a, long aOff, float[] b, int bOff, int n) {
    return switch (bits) {
      case 512 -> dotSegment(S512, a, aOff, b, bOff, n);
      case 256 -> dotSegment(S256, a, aOff, b, bOff, n);
      default -> dotSegment(S128, a, aOff, b, bOff, n);
    };
  }

  static void axpy(int bits, float a, float[] x, int xOff, float[] y, int yOff, int n) {
    switch (bits) {
      case 512 -> axpy(S512, a, x, xOff, y, yOff, n);
      case 256 -> axpy(S256, a, x, xOff, y, yOff, n);
      default -> axpy(S128, a, x, xOff, y, yOff, n);
    }
  }

  /**
   * Rows [from, to) of {@code w} times {@code rows} activation rows {@code x[t*xStride ..]};
   * writes {@code out[t*outStride + r + outOff]}. Each weight row is dequantized once for all rows.
   */
  static void matmul(int s, GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outOff, int outStride, float[] scratch) {
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      if (type == GgmlType.F32) {
        for (int t = 0; t < rows; t++) out[t * outStride + outOff + r] = dotSegment(s, w, base, x, t * xStride, cols);
      } else {
        Dequantize.row(type, w, base, scratch, 0, cols);
        for (int t = 0; t < rows; t++) out[t * outStride + outOff + r] = dot(s, scratch, 0, x, t * xStride, cols);
      }
    }
  }
}
