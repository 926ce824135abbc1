package ai.edgeai.llm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scalar reference dequantization, identical to ggml's {@code dequantize_row_*} (ggml-quants.c).
 * Block layouts are described beside each case.
 */
public final class Dequantize {

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Dequantize() {}

  /** True when {@link #row} can dequantize {@code type}. */
  public static boolean supports(GgmlType type) {
    return switch (type) {
      case F32, F16, BF16, Q8_0, Q4_0 -> true;
      default -> false;
    };
  }

  /** IEEE half (binary16) to float. */
  public static float f16(short h) {
    return Float.float16ToFloat(h);
  }

  /** bfloat16 (upper 16 bits of a float32) to float. */
  public static float bf16(short h) {
    return Float.intBitsToFloat((h & 0xFFFF) << 16);
  }

  /**
   * Dequantizes {@code n} elements starting at byte {@code off} of {@code src} (which must be the
   * start of a block) into {@code out[outOff ..]}. {@code n} is a multiple of the block size.
   */
  public static void row(GgmlType type, MemorySegment src, long off, float[] out, int outOff, int n) {
    switch (type) {
      case F32 -> {
        for (int i = 0; i < n; i++) out[outOff + i] = src.get(F32, off + 4L * i);
      }
      case F16 -> {
        for (int i = 0; i < n; i++) out[outOff + i] = f16(src.get(I16, off + 2L * i));
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) out[outOff + i] = bf16(src.get(I16, off + 2L * i));
      }
      case Q8_0 -> {
        // block_q8_0 (34 B): half d; int8 qs[32]. x = d * q
        for (int b = 0; b < n / 32; b++) {
          long p = off + 34L * b;
          float d = f16(src.get(I16, p));
          for (int j = 0; j < 32; j++) out[outOff + 32 * b + j] = d * src.get(ValueLayout.JAVA_BYTE, p + 2 + j);
        }
      }
      case Q4_0 -> {
        // block_q4_0 (18 B): half d; u8 qs[16]. Element j = low nibble of qs[j], j+16 = high nibble; x = d * (q - 8)
        for (int b = 0; b < n / 32; b++) {
          long p = off + 18L * b;
          float d = f16(src.get(I16, p));
          int o = outOff + 32 * b;
          for (int j = 0; j < 16; j++) {
            int q = src.get(ValueLayout.JAVA_BYTE, p + 2 + j) & 0xFF;
            out[o + j] = ((q & 0x0F) - 8) * d;
            out[o + j + 16] = ((q >>> 4) - 8) * d;
          }
        }
      }
      default -> throw new UnsupportedTensorTypeException("<row>", type);
    }
  }
}
