package ai.edgeai.llm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scalar reference dequantization, identical bit for bit to ggml's {@code dequantize_row_*}
 * (ggml-quants.c; block structs in ggml-common.h). Each case describes its block layout. The float
 * expressions keep ggml's evaluation order, so results match the C code exactly (Java never fuses
 * a multiply and an add, and neither does ggml's portable reference build).
 */
public final class Dequantize {

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Dequantize() {}

  /** True when {@link #row} can dequantize {@code type}. */
  public static boolean supports(GgmlType type) {
    return switch (type) {
      case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> true;
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
   * Row {@code row} of a Q4_0 matrix of {@code cols} columns held in the kernels' 16-row interleaved
   * layout ({@code ai.edgeai.llm.kernel.Q4Interleaved}: per group of 16 rows and block, 16 F16
   * scales, then 8 chunks of 32 bytes where byte {@code 2r+e} of chunk {@code c} is quant byte
   * {@code 2c+e} of row {@code r}), into {@code out[outOff .. outOff+cols)}: the same values as
   * {@link #row} on the GGUF layout.
   */
  public static void q4InterleavedRow(MemorySegment src, long row, int cols, float[] out, int outOff) {
    int blocks = cols / 32;
    int lane = (int) (row % 16);
    long group = row / 16 * blocks * 288L;
    for (int b = 0; b < blocks; b++) {
      long p = group + 288L * b;
      float d = f16(src.get(I16, p + 2L * lane));
      int o = outOff + 32 * b;
      for (int j = 0; j < 16; j++) {
        int q = u8(src, p + 32 + 32L * (j >> 1) + 2L * lane + (j & 1));
        out[o + j] = ((q & 0x0F) - 8) * d;
        out[o + j + 16] = ((q >>> 4) - 8) * d;
      }
    }
  }

  /**
   * Row {@code row} of a Q8_0 matrix of {@code cols} columns held in the kernels' 16-row interleaved
   * layout ({@code ai.edgeai.llm.kernel.Q8Interleaved}: per group of 16 rows and block, 16 F16
   * scales, then 16 chunks of 32 bytes where byte {@code 2r+e} of chunk {@code c} is quant
   * {@code 2c+e} of row {@code r}), into {@code out[outOff .. outOff+cols)}: the same values as
   * {@link #row} on the GGUF layout.
   */
  public static void q8InterleavedRow(MemorySegment src, long row, int cols, float[] out, int outOff) {
    int blocks = cols / 32;
    int lane = (int) (row % 16);
    long group = row / 16 * blocks * 544L;
    for (int b = 0; b < blocks; b++) {
      long p = group + 544L * b;
      float d = f16(src.get(I16, p + 2L * lane));
      for (int k = 0; k < 32; k++) out[outOff + 32 * b + k] = src.get(ValueLayout.JAVA_BYTE, p + 32 + 32L * (k >> 1) + 2L * lane + (k & 1)) * d;
    }
  }

  /**
   * Dequantizes {@code n} elements starting at byte {@code off} of {@code src} (which must be the
   * start of a block) into {@code out[outOff ..]}. {@code n} is a multiple of the block size.
   */
  public static void row(GgmlType type, MemorySegment src, long off, float[] out, int outOff, int n) {
    if (n % type.blockSize() != 0) {
      throw new IllegalArgumentException(n + " elements is not a multiple of the " + type + " block size " + type.blockSize());
    }
    int blocks = n / type.blockSize();
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
        // block_q8_0 (34 B): half d; int8 qs[32]. x = q * d
        for (int b = 0; b < blocks; b++) {
          long p = off + 34L * b;
          float d = f16(src.get(I16, p));
          int o = outOff + 32 * b;
          for (int j = 0; j < 32; j++) out[o + j] = src.get(ValueLayout.JAVA_BYTE, p + 2 + j) * d;
        }
      }
      case Q4_0 -> {
        // block_q4_0 (18 B): half d; u8 qs[16]. Element j = low nibble of qs[j], j+16 = high nibble; x = (q - 8) * d
        for (int b = 0; b < blocks; b++) {
          long p = off + 18L * b;
          float d = f16(src.get(I16, p));
          int o = outOff + 32 * b;
          for (int j = 0; j < 16; j++) {
            int q = u8(src, p + 2 + j);
            out[o + j] = ((q & 0x0F) - 8) * d;
            out[o + j + 16] = ((q >>> 4) - 8) * d;
          }
        }
      }
      case Q4_1 -> {
        // block_q4_1 (20 B): half d; half m; u8 qs[16]. Nibbles as Q4_0, unsigned; x = q * d + m
        for (int b = 0; b < blocks; b++) {
          long p = off + 20L * b;
          float d = f16(src.get(I16, p));
          float m = f16(src.get(I16, p + 2));
          int o = outOff + 32 * b;
          for (int j = 0; j < 16; j++) {
            int q = u8(src, p + 4 + j);
            out[o + j] = (q & 0x0F) * d + m;
            out[o + j + 16] = (q >>> 4) * d + m;
          }
        }
      }
      case Q5_0 -> {
        // block_q5_0 (22 B): half d; u8 qh[4] (u32 LE: bit j = 5th bit of element j); u8 qs[16] (nibbles as Q4_0).
        // x = (q - 16) * d
        for (int b = 0; b < blocks; b++) {
          long p = off + 22L * b;
          float d = f16(src.get(I16, p));
          int qh = src.get(I32, p + 2);
          int o = outOff + 32 * b;
          for (int j = 0; j < 16; j++) {
            int q = u8(src, p + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10; // bit j+16, moved to 0x10
            out[o + j] = (((q & 0x0F) | h0) - 16) * d;
            out[o + j + 16] = (((q >>> 4) | h1) - 16) * d;
          }
        }
      }
      case Q5_1 -> {
        // block_q5_1 (24 B): half d; half m; u8 qh[4]; u8 qs[16]. As Q5_0, unsigned; x = q * d + m
        for (int b = 0; b < blocks; b++) {
          long p = off + 24L * b;
          float d = f16(src.get(I16, p));
          float m = f16(src.get(I16, p + 2));
          int qh = src.get(I32, p + 4);
          int o = outOff + 32 * b;
          for (int j = 0; j < 16; j++) {
            int q = u8(src, p + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            out[o + j] = ((q & 0x0F) | h0) * d + m;
            out[o + j + 16] = ((q >>> 4) | h1) * d + m;
          }
        }
      }
      case Q2_K -> {
        // block_q2_K (84 B): u8 scales[16] (low nibble = scale, high = min, per 16 elements); u8 qs[64];
        // half d @80; half dmin @82. Each 128-element half uses 32 qs bytes; the 2-bit field at
        // shift 2*s of qs[l] (l < 16) / qs[16+l] covers elements 32*s + l / 32*s + 16 + l.
        // x = (d * sc) * q - (dmin * m)
        for (int b = 0; b < blocks; b++) {
          long p = off + 84L * b;
          float d = f16(src.get(I16, p + 80));
          float min = f16(src.get(I16, p + 82));
          int o = outOff + 256 * b;
          int is = 0;
          for (int half = 0; half < 2; half++) {
            long q = p + 16 + 32L * half;
            for (int s = 0; s < 4; s++) {
              int shift = 2 * s;
              for (int g = 0; g < 2; g++) {
                int sc = u8(src, p + is++);
                float dl = d * (sc & 0xF);
                float ml = min * (sc >>> 4);
                for (int l = 0; l < 16; l++) out[o++] = dl * ((u8(src, q + 16 * g + l) >>> shift) & 3) - ml;
              }
            }
          }
        }
      }
      case Q3_K -> {
        // block_q3_K (110 B): u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d @108.
        // 16 sub-blocks of 16 with 6-bit signed scales (stored +32): low 4 bits in scales[0..7]
        // (sub-block j<8 low nibble of byte j, j>=8 high nibble of byte j-8), high 2 bits in
        // scales[8 + j%4] at shift 2*(j/4). The 2-bit quant comes from qs like Q2_K; hmask bit
        // (1 << (4*half + s)) of hmask[l] set means +0, clear means -4. x = (d * (sc - 32)) * q
        for (int b = 0; b < blocks; b++) {
          long p = off + 110L * b;
          float dAll = f16(src.get(I16, p + 108));
          int o = outOff + 256 * b;
          int is = 0;
          int m = 1;
          for (int half = 0; half < 2; half++) {
            long q = p + 32 + 32L * half;
            for (int s = 0; s < 4; s++) {
              int shift = 2 * s;
              for (int g = 0; g < 2; g++) {
                float dl = dAll * (q3kScale(src, p + 96, is++) - 32);
                for (int l = 0; l < 16; l++) {
                  int lo = (u8(src, q + 16 * g + l) >>> shift) & 3;
                  int hi = (u8(src, p + 16 * g + l) & m) != 0 ? 0 : 4;
                  out[o++] = dl * (lo - hi);
                }
              }
              m <<= 1;
            }
          }
        }
      }
      case Q4_K -> {
        // block_q4_K (144 B): half d; half dmin; u8 scales[12] (8 pairs of 6-bit scale/min, see
        // scaleMinK4); u8 qs[128]. Each 32-byte qs group holds 64 elements: low nibbles are the
        // first 32 (sub-block 2g), high nibbles the next 32 (sub-block 2g+1). x = (d*sc) * q - (dmin*m)
        for (int b = 0; b < blocks; b++) {
          long p = off + 144L * b;
          float d = f16(src.get(I16, p));
          float min = f16(src.get(I16, p + 2));
          long sc = p + 4;
          int o = outOff + 256 * b;
          for (int g = 0; g < 4; g++) {
            long q = p + 16 + 32L * g;
            int sm1 = scaleMinK4(src, sc, 2 * g);
            int sm2 = scaleMinK4(src, sc, 2 * g + 1);
            float d1 = d * (sm1 & 0xFF), m1 = min * (sm1 >>> 8);
            float d2 = d * (sm2 & 0xFF), m2 = min * (sm2 >>> 8);
            for (int l = 0; l < 32; l++) out[o++] = d1 * (u8(src, q + l) & 0xF) - m1;
            for (int l = 0; l < 32; l++) out[o++] = d2 * (u8(src, q + l) >>> 4) - m2;
          }
        }
      }
      case Q5_K -> {
        // block_q5_K (176 B): half d; half dmin; u8 scales[12] (as Q4_K); u8 qh[32]; u8 qs[128].
        // As Q4_K, plus a 5th bit: group g's low-nibble elements use qh bit 2g, high-nibble ones bit 2g+1.
        for (int b = 0; b < blocks; b++) {
          long p = off + 176L * b;
          float d = f16(src.get(I16, p));
          float min = f16(src.get(I16, p + 2));
          long sc = p + 4;
          long qh = p + 16;
          int o = outOff + 256 * b;
          for (int g = 0; g < 4; g++) {
            long ql = p + 48 + 32L * g;
            int u1 = 1 << (2 * g), u2 = 2 << (2 * g);
            int sm1 = scaleMinK4(src, sc, 2 * g);
            int sm2 = scaleMinK4(src, sc, 2 * g + 1);
            float d1 = d * (sm1 & 0xFF), m1 = min * (sm1 >>> 8);
            float d2 = d * (sm2 & 0xFF), m2 = min * (sm2 >>> 8);
            for (int l = 0; l < 32; l++) out[o++] = d1 * ((u8(src, ql + l) & 0xF) + ((u8(src, qh + l) & u1) != 0 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; l++) out[o++] = d2 * ((u8(src, ql + l) >>> 4) + ((u8(src, qh + l) & u2) != 0 ? 16 : 0)) - m2;
          }
        }
      }
      case Q6_K -> {
        // block_q6_K (210 B): u8 ql[128] (low 4 bits); u8 qh[64] (high 2 bits); int8 scales[16]; half d @208 (last).
        // Per 128-element half: element l+32k (k=0..3, l<32) takes its low nibble from ql[l] (k=0),
        // ql[l+32] (k=1), high nibble of ql[l] (k=2), of ql[l+32] (k=3), and bits 2k..2k+1 of qh[l].
        // q = that 6-bit value - 32; x = (d * scales[l/16 + 2k]) * q
        for (int b = 0; b < blocks; b++) {
          long p = off + 210L * b;
          float d = f16(src.get(I16, p + 208));
          int o = outOff + 256 * b;
          for (int half = 0; half < 2; half++) {
            long ql = p + 64L * half;
            long qh = p + 128 + 32L * half;
            long sc = p + 192 + 8L * half;
            for (int l = 0; l < 32; l++) {
              int is = l / 16;
              int a = u8(src, ql + l), c = u8(src, ql + l + 32), h = u8(src, qh + l);
              int q1 = ((a & 0xF) | ((h & 3) << 4)) - 32;
              int q2 = ((c & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
              int q3 = ((a >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
              int q4 = ((c >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
              out[o + l] = d * i8(src, sc + is) * q1;
              out[o + l + 32] = d * i8(src, sc + is + 2) * q2;
              out[o + l + 64] = d * i8(src, sc + is + 4) * q3;
              out[o + l + 96] = d * i8(src, sc + is + 6) * q4;
            }
            o += 128;
          }
        }
      }
      default -> throw new UnsupportedTensorTypeException("<row>", type);
    }
  }

  private static int u8(MemorySegment s, long p) {
    return s.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
  }

  private static int i8(MemorySegment s, long p) {
    return s.get(ValueLayout.JAVA_BYTE, p);
  }

  /**
   * Q4_K/Q5_K sub-block {@code j} (0..7) scale and min, 6 bits each, packed in 12 bytes: for j < 4
   * the low 6 bits of bytes j (scale) and j+4 (min); for j >= 4 the nibbles of byte j+4 give the low
   * 4 bits and the top 2 bits of bytes j-4 (scale) and j (min) give the high 2. Returns scale | min << 8.
   */
  static int scaleMinK4(MemorySegment s, long scales, int j) {
    int sc, m;
    if (j < 4) {
      sc = u8(s, scales + j) & 63;
      m = u8(s, scales + j + 4) & 63;
    } else {
      int b = u8(s, scales + j + 4);
      sc = (b & 0xF) | ((u8(s, scales + j - 4) >>> 6) << 4);
      m = (b >>> 4) | ((u8(s, scales + j) >>> 6) << 4);
    }
    return sc | (m << 8);
  }

  /** Q3_K sub-block {@code j} (0..15) scale, 6 bits unsigned (the caller subtracts 32). */
  private static int q3kScale(MemorySegment s, long scales, int j) {
    int low = j < 8 ? u8(s, scales + j) & 0xF : u8(s, scales + j - 8) >>> 4;
    int high = (u8(s, scales + 8 + (j % 4)) >>> (2 * (j / 4))) & 3;
    return low | (high << 4);
  }
}
