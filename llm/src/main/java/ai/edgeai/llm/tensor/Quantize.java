package ai.edgeai.llm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scalar reference quantization from float32, identical bit for bit to ggml's
 * {@code quantize_row_*_ref} (ggml-quants.c) for Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1, and to ggml's
 * float conversions for F16 ({@code ggml_fp32_to_fp16}) and BF16 ({@code ggml_fp32_to_bf16}).
 * K-quants are not produced (their reference quantizers search for scales; see the report).
 *
 * <p>C details reproduced on purpose: {@code roundf} rounds halves away from zero (Java's
 * {@code Math.round} does not); float-to-int8 casts truncate toward zero; all arithmetic is float.
 */
public final class Quantize {

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Quantize() {}

  /** True when {@link #row} can produce {@code type}. */
  public static boolean supports(GgmlType type) {
    return switch (type) {
      case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 -> true;
      default -> false;
    };
  }

  /** float to IEEE half with round-to-nearest-even, NaN as ggml writes it (quiet, 0x7E00 | sign). */
  public static short f16(float f) {
    if (Float.isNaN(f)) return (short) (((Float.floatToRawIntBits(f) >>> 16) & 0x8000) | 0x7E00);
    return Float.floatToFloat16(f);
  }

  /** float to bfloat16 with round-to-nearest-even; NaN keeps its upper bits and is made quiet (ggml). */
  public static short bf16(float f) {
    int u = Float.floatToRawIntBits(f);
    if ((u & 0x7FFFFFFF) > 0x7F800000) return (short) ((u >>> 16) | 64);
    return (short) ((u + (0x7FFF + ((u >>> 16) & 1))) >>> 16);
  }

  /**
   * Quantizes {@code x[xOff .. xOff+n)} into {@code dst} at byte {@code dstOff}; {@code n} must be a
   * multiple of the block size. Writes {@code type.byteSize(n)} bytes.
   */
  public static void row(GgmlType type, float[] x, int xOff, MemorySegment dst, long dstOff, int n) {
    if (n % type.blockSize() != 0) {
      throw new IllegalArgumentException(n + " elements is not a multiple of the " + type + " block size " + type.blockSize());
    }
    int blocks = n / type.blockSize();
    switch (type) {
      case F32 -> {
        for (int i = 0; i < n; i++) dst.set(F32, dstOff + 4L * i, x[xOff + i]);
      }
      case F16 -> {
        for (int i = 0; i < n; i++) dst.set(I16, dstOff + 2L * i, f16(x[xOff + i]));
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) dst.set(I16, dstOff + 2L * i, bf16(x[xOff + i]));
      }
      case Q8_0 -> {
        // d = amax / 127; q = roundf(x / d)
        for (int b = 0; b < blocks; b++) {
          int xb = xOff + 32 * b;
          long p = dstOff + 34L * b;
          float amax = 0f;
          for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[xb + j]));
          float d = amax / 127;
          float id = d != 0f ? 1.0f / d : 0.0f;
          dst.set(I16, p, f16(d));
          for (int j = 0; j < 32; j++) dst.set(ValueLayout.JAVA_BYTE, p + 2 + j, (byte) cInt(roundf(x[xb + j] * id)));
        }
      }
      case Q4_0 -> {
        // d = (signed value of largest magnitude) / -8, so that value maps to q = 0; q = min(15, (int8)(x/d + 8.5))
        for (int b = 0; b < blocks; b++) {
          int xb = xOff + 32 * b;
          long p = dstOff + 18L * b;
          float max = signedAbsMax(x, xb);
          float d = max / -8;
          float id = d != 0f ? 1.0f / d : 0.0f;
          dst.set(I16, p, f16(d));
          for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (byte) cInt(x[xb + j] * id + 8.5f));
            int q1 = Math.min(15, (byte) cInt(x[xb + 16 + j] * id + 8.5f));
            dst.set(ValueLayout.JAVA_BYTE, p + 2 + j, (byte) (q0 | (q1 << 4)));
          }
        }
      }
      case Q4_1 -> {
        // d = (max - min) / 15, m = min; q = min(15, (int8)((x - min)/d + 0.5))
        for (int b = 0; b < blocks; b++) {
          int xb = xOff + 32 * b;
          long p = dstOff + 20L * b;
          float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
          for (int j = 0; j < 32; j++) {
            float v = x[xb + j];
            if (v < min) min = v;
            if (v > max) max = v;
          }
          float d = (max - min) / 15;
          float id = d != 0f ? 1.0f / d : 0.0f;
          dst.set(I16, p, f16(d));
          dst.set(I16, p + 2, f16(min));
          for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (byte) cInt((x[xb + j] - min) * id + 0.5f));
            int q1 = Math.min(15, (byte) cInt((x[xb + 16 + j] - min) * id + 0.5f));
            dst.set(ValueLayout.JAVA_BYTE, p + 4 + j, (byte) (q0 | (q1 << 4)));
          }
        }
      }
      case Q5_0 -> {
        // d = (signed value of largest magnitude) / -16; q = min(31, (int8)(x/d + 16.5)); low nibbles
        // in qs like Q4_0, 5th bit of element j in bit j of the little-endian u32 qh
        for (int b = 0; b < blocks; b++) {
          int xb = xOff + 32 * b;
          long p = dstOff + 22L * b;
          float max = signedAbsMax(x, xb);
          float d = max / -16;
          float id = d != 0f ? 1.0f / d : 0.0f;
          dst.set(I16, p, f16(d));
          int qh = 0;
          for (int j = 0; j < 16; j++) {
            int q0 = Math.min(31, (byte) cInt(x[xb + j] * id + 16.5f)) & 0xFF;
            int q1 = Math.min(31, (byte) cInt(x[xb + 16 + j] * id + 16.5f)) & 0xFF;
            dst.set(ValueLayout.JAVA_BYTE, p + 6 + j, (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4)));
            qh |= ((q0 & 0x10) >>> 4) << j;
            qh |= ((q1 & 0x10) >>> 4) << (j + 16);
          }
          dst.set(I32, p + 2, qh);
        }
      }
      case Q5_1 -> {
        // d = (max - min) / 31, m = min; q = (uint8)((x - min)/d + 0.5); bits split as Q5_0
        for (int b = 0; b < blocks; b++) {
          int xb = xOff + 32 * b;
          long p = dstOff + 24L * b;
          float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
          for (int j = 0; j < 32; j++) {
            float v = x[xb + j];
            if (v < min) min = v;
            if (v > max) max = v;
          }
          float d = (max - min) / 31;
          float id = d != 0f ? 1.0f / d : 0.0f;
          dst.set(I16, p, f16(d));
          dst.set(I16, p + 2, f16(min));
          int qh = 0;
          for (int j = 0; j < 16; j++) {
            int q0 = cInt((x[xb + j] - min) * id + 0.5f) & 0xFF;
            int q1 = cInt((x[xb + 16 + j] - min) * id + 0.5f) & 0xFF;
            dst.set(ValueLayout.JAVA_BYTE, p + 8 + j, (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4)));
            qh |= ((q0 & 0x10) >>> 4) << j;
            qh |= ((q1 & 0x10) >>> 4) << (j + 16);
          }
          dst.set(I32, p + 4, qh);
        }
      }
      default -> throw new UnsupportedTensorTypeException("<quantize>", type);
    }
  }

  /** The element of largest magnitude, with its sign (the first one on ties), 0 for an all-zero block. */
  private static float signedAbsMax(float[] x, int xb) {
    float amax = 0f, max = 0f;
    for (int j = 0; j < 32; j++) {
      float v = x[xb + j];
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    return max;
  }

  /** C's roundf: halves away from zero. */
  static float roundf(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) return f;
    double r = Math.floor(Math.abs((double) f) + 0.5);
    return (float) Math.copySign(r, f);
  }

  /**
   * A float-to-integer cast as x86-64 C code performs it (cvttss2si): truncation toward zero, and
   * 0x80000000 for NaN and out-of-range values, where Java would saturate instead.
   */
  static int cInt(float f) {
    if (Float.isNaN(f) || f >= 2147483648f || f < -2147483648f) return Integer.MIN_VALUE;
    return (int) f;
  }
}
