package ai.edgeai.llm.kernel;

import ai.edgeai.llm.tensor.Dequantize;
import ai.edgeai.llm.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Scalar twins of the SIMD kernels: the fallback where the Vector API is not intrinsified, and the reference in tests. */
final class ScalarKernels {

  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private ScalarKernels() {}

  /** Plain sequential float dot product. */
  static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
    return s;
  }

  static void dequantizeRow(GgmlType type, MemorySegment w, long base, int cols, float[] out) {
    Dequantize.row(type, w, base, out, 0, cols);
  }

  /**
   * Q8_0/Q4_0 row at {@code base} · activation row {@code t} of {@code x}, in ggml's AVX2 order
   * (the same arithmetic as {@code Tensor.dotQ8}).
   */
  static float dotQ8(boolean q4, MemorySegment w, long base, int cols, Q8Batch x, int t) {
    int blocks = cols / 32;
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    int qo = t * x.maxCols;
    int dO = t * x.blocksPerRow;
    for (int b = 0; b < blocks; b++) {
      long p = base + (q4 ? 18L : 34L) * b;
      float db = Float.float16ToFloat(w.get(I16, p)) * x.d[dO + b];
      int o = qo + 32 * b;
      a0 = Math.fma(db, part(q4, w, p, x.qs, o, 0), a0);
      a1 = Math.fma(db, part(q4, w, p, x.qs, o, 1), a1);
      a2 = Math.fma(db, part(q4, w, p, x.qs, o, 2), a2);
      a3 = Math.fma(db, part(q4, w, p, x.qs, o, 3), a3);
      a4 = Math.fma(db, part(q4, w, p, x.qs, o, 4), a4);
      a5 = Math.fma(db, part(q4, w, p, x.qs, o, 5), a5);
      a6 = Math.fma(db, part(q4, w, p, x.qs, o, 6), a6);
      a7 = Math.fma(db, part(q4, w, p, x.qs, o, 7), a7);
    }
    float r0 = a0 + a4, r1 = a1 + a5, r2 = a2 + a6, r3 = a3 + a7;
    return (r0 + r2) + (r1 + r3);
  }

  private static float part(boolean q4, MemorySegment w, long p, byte[] xq, int o, int k) {
    int s = 0;
    for (int j = 4 * k; j < 4 * k + 4; j++) {
      int wq;
      if (q4) {
        int q = w.get(ValueLayout.JAVA_BYTE, p + 2 + (j & 15)) & 0xFF;
        wq = (j < 16 ? (q & 0x0F) : (q >>> 4)) - 8;
      } else {
        wq = w.get(ValueLayout.JAVA_BYTE, p + 2 + j);
      }
      s += wq * xq[o + j];
    }
    return s;
  }
}
