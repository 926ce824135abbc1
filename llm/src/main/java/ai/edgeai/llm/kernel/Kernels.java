package ai.edgeai.llm.kernel;

import ai.edgeai.llm.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * The engine's SIMD kernels behind a scalar-typed facade (no Vector API type appears here).
 *
 * <p><b>Width rule.</b> At first use the Vector API is probed ({@link VectorProbe}); when it is
 * missing or not intrinsified (slower than scalar) every method here falls back to scalar code and
 * {@link #describe()} says so. Otherwise float kernels use the JIT's preferred width, and the
 * exact Q8_0/Q4_0 kernels use 256-bit vectors (128-bit where that is the widest): their lane layout
 * is ggml's 8-lane accumulator. (No 512-bit Q8 variant exists: on AMD Zen 4, which splits
 * 512-bit operations in two, it would not cut the work.)
 * The system property {@code edgeai.llm.vectorBits} (0 = scalar, 128, 256, 512) overrides the rule,
 * for tests and benchmarks of each width.
 */
public final class Kernels {

  /** System property that forces a width: 0 (scalar), 128, 256 or 512. */
  public static final String WIDTH_PROPERTY = "edgeai.llm.vectorBits";

  private Kernels() {}

  /** Per-thread room to spill an 8-lane accumulator for its final, ggml-ordered sum. */
  private static final ThreadLocal<float[]> TMP = ThreadLocal.withInitial(() -> new float[8]);

  private static final class Config {
    static final int FLOAT_BITS;
    static final int Q8_BITS;
    static final String DESCRIPTION;

    static {
      String forced = System.getProperty(WIDTH_PROPERTY);
      int fb;
      String why;
      if (forced != null) {
        fb = Integer.parseInt(forced.trim());
        if (fb != 0 && fb != 128 && fb != 256 && fb != 512) {
          throw new IllegalArgumentException(WIDTH_PROPERTY + " must be 0, 128, 256 or 512, got " + forced);
        }
        if (fb != 0 && !VectorProbe.isVectorApiPresent()) {
          throw new IllegalStateException(WIDTH_PROPERTY + "=" + fb + " but module jdk.incubator.vector is not loaded");
        }
        why = "forced by -D" + WIDTH_PROPERTY + "=" + fb;
      } else {
        // A busy machine can delay C2 past a short probe, which then looks like a missing
        // intrinsic; so a SLOW verdict is only believed after a second, longer probe.
        VectorProbe.Result probe = VectorProbe.run(40);
        if (probe.verdict() == VectorProbe.Verdict.SLOW) probe = VectorProbe.run(250);
        if (probe.verdict() == VectorProbe.Verdict.UNAVAILABLE || probe.verdict() == VectorProbe.Verdict.SLOW) {
          fb = 0;
          why = "scalar fallback: " + probe.detail();
        } else {
          fb = Math.min(512, probe.preferredBits());
          why = "Vector API " + probe.detail();
        }
      }
      if (fb != 0 && fb < 128) fb = 0; // no useful SIMD below 128 bits
      FLOAT_BITS = fb;
      Q8_BITS = fb == 0 ? 0 : Math.min(fb, 256);
      DESCRIPTION = fb == 0 ? "scalar kernels (" + why + ")"
          : "SIMD kernels: float " + FLOAT_BITS + "-bit, Q8_0/Q4_0 " + Q8_BITS + "-bit, prefill tile " + (NARROW_GEMM_TILE ? "4x2" : "4x4")
              + " (" + why + ")";
    }
  }

  /** One line for the CLI: which kernels run and why (e.g. a scalar fallback and its cause). */
  public static String describe() {
    return Config.DESCRIPTION;
  }

  /** True when the SIMD kernels are in use. */
  public static boolean simd() {
    return Config.FLOAT_BITS != 0;
  }

  /** Width of the float kernels in bits (0 = scalar). */
  public static int floatBits() {
    return Config.FLOAT_BITS;
  }

  /** True when {@link #matmulQ8} handles this weight type. */
  public static boolean supportsQ8(GgmlType type) {
    return type == GgmlType.Q8_0 || type == GgmlType.Q4_0;
  }

  /**
   * Rows [from, to) of a Q8_0/Q4_0 matrix times activation rows [xFrom, xTo) of {@code x}:
   * {@code out[t * outStride + r] = row r · x row t}. Bit-identical to {@code Tensor.dotQ8} at
   * every width.
   */
  public static void matmulQ8(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int xFrom, int xTo, float[] out, int outStride) {
    boolean q4 = type == GgmlType.Q4_0;
    if (!q4 && type != GgmlType.Q8_0) throw new IllegalArgumentException(type + " has no Q8 kernel");
    if (cols > x.maxCols) throw new IllegalArgumentException("row length " + cols + " exceeds the batch's " + x.maxCols);
    int bits = Config.Q8_BITS;
    matmulQ8(bits, q4, w, rowBytes, cols, from, to, x, xFrom, xTo, out, outStride);
  }

  static void matmulQ8(int bits, boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int xFrom, int xTo, float[] out, int outStride) {
    if (bits == 0 || w.byteSize() < 64) {
      for (int t = xFrom; t < xTo; t++) {
        for (int r = from; r < to; r++) out[t * outStride + r] = ScalarKernels.dotQ8(q4, w, r * rowBytes, cols, x, t);
      }
      return;
    }
    float[] tmp = TMP.get();
    if (bits == 256 && q4 && to > from && (long) to * rowBytes + 14 > w.byteSize()) {
      // The 256-bit Q4_0 kernel reads 14 bytes past each block; the tensor's last row goes to the 128-bit one.
      matmulQ8(128, true, w, rowBytes, cols, to - 1, to, x, xFrom, xTo, out, outStride);
      to--;
    }
    // Walk the rows in small groups so a group's weights stay in cache while every activation row uses them.
    final int rowGroup = 16;
    for (int r0 = from; r0 < to; r0 += rowGroup) {
      int r1 = Math.min(to, r0 + rowGroup);
      int t = xFrom;
      for (; t + 4 <= xTo; t += 4) {
        if (bits == 256) Q8Simd256.tile4(q4, w, rowBytes, cols, r0, r1, x, t, out, outStride, tmp);
        else Q8Simd128.tile4(q4, w, rowBytes, cols, r0, r1, x, t, out, outStride, tmp);
      }
      for (; t < xTo; t++) {
        if (bits == 256) Q8Simd256.matvec(q4, w, rowBytes, cols, r0, r1, x, t, out, t * outStride + r0, tmp);
        else Q8Simd128.matvec(q4, w, rowBytes, cols, r0, r1, x, t, out, t * outStride + r0, tmp);
      }
    }
  }

  /**
   * Rows [from, to) of a matrix of any supported type times float activation rows
   * {@code x[t * xStride ..]} for t in [0, rows): {@code out[t * outStride + r]}. {@code scratch}
   * holds at least {@code cols} floats (one per thread).
   */
  public static void matmulF(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outStride, float[] scratch) {
    matmulF(Config.FLOAT_BITS, type, w, rowBytes, cols, from, to, x, xStride, rows, out, outStride, scratch);
  }

  static void matmulF(int bits, GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outStride, float[] scratch) {
    if (bits == 0) {
      for (int r = from; r < to; r++) {
        ScalarKernels.dequantizeRow(type, w, r * rowBytes, cols, scratch);
        for (int t = 0; t < rows; t++) out[t * outStride + r] = ScalarKernels.dot(scratch, 0, x, t * xStride, cols);
      }
      return;
    }
    switch (bits) {
      case 512 -> FloatSimd512.matmul(type, w, rowBytes, cols, from, to, x, xStride, rows, out, 0, outStride, scratch);
      case 256 -> FloatSimd256.matmul(type, w, rowBytes, cols, from, to, x, xStride, rows, out, 0, outStride, scratch);
      default -> FloatSimd128.matmul(type, w, rowBytes, cols, from, to, x, xStride, rows, out, 0, outStride, scratch);
    }
  }

  /** Tokens per vector in {@link #matmulQ8Lanes} (the float lanes; 1 for the scalar kernels). */
  public static int tokenLanes() {
    return Config.FLOAT_BITS == 0 ? 1 : Config.FLOAT_BITS / 32;
  }

  /**
   * Prefill with Q8_0/Q4_0 weights: rows [from, to) times activation rows [0, tokens) of {@code x},
   * which {@link Q8Batch#transposeTokens} has laid out with {@link #tokenLanes()} lanes; writes
   * {@code out[t * outStride + r]}, bit-identical to {@link #matmulQ8} (ggml's decode order) but
   * with the tokens in the vector lanes. {@code panel} (one per thread) holds at least
   * {@code GEMM_ROWS * cols} floats.
   */
  public static void matmulQ8Lanes(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int tokens, float[] out, int outStride, float[] panel) {
    boolean q4 = type == GgmlType.Q4_0;
    if (!q4 && type != GgmlType.Q8_0) throw new IllegalArgumentException(type + " has no Q8 kernel");
    matmulQ8Lanes(Config.FLOAT_BITS, q4, w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
  }

  static void matmulQ8Lanes(int bits, boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int tokens, float[] out, int outStride, float[] panel) {
    if (panel.length < GEMM_ROWS * cols) throw new IllegalArgumentException("panel holds " + panel.length + " floats, needs " + GEMM_ROWS * cols);
    switch (bits) {
      case 0 -> matmulQ8(0, q4, w, rowBytes, cols, from, to, x, 0, tokens, out, outStride);
      case 512 -> FloatSimd512.q8Lanes(q4, w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
      case 256 -> FloatSimd256.q8Lanes(q4, w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
      default -> FloatSimd128.q8Lanes(q4, w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
    }
  }

  /**
   * As {@link #matmulQ8Lanes} for Q4_0 in the order of ggml's repacked kernel: bit-identical to
   * {@link Q4Repacked#matmul} (llama.cpp's exact order for Q4_0 matrices it repacks).
   */
  public static void matmulQ4RepackedLanes(MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int tokens, float[] out, int outStride, float[] panel) {
    matmulQ4RepackedLanes(Config.FLOAT_BITS, w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
  }

  static void matmulQ4RepackedLanes(int bits, MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int tokens, float[] out, int outStride, float[] panel) {
    if (panel.length < GEMM_ROWS * cols) throw new IllegalArgumentException("panel holds " + panel.length + " floats, needs " + GEMM_ROWS * cols);
    switch (bits) {
      case 0 -> Q4Repacked.matmul(w, rowBytes, cols, from, to, x, 0, tokens, out, outStride);
      case 512 -> FloatSimd512.q4RepackedLanes(w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
      case 256 -> FloatSimd256.q4RepackedLanes(w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
      default -> FloatSimd128.q4RepackedLanes(w, rowBytes, cols, from, to, x, tokens, out, outStride, panel);
    }
  }

  /** Weight rows {@link #gemm} dequantizes at a time: its panel holds {@code GEMM_ROWS * cols} floats. */
  public static final int GEMM_ROWS = 4;

  /**
   * Prefill matrix product: rows [from, to) of a matrix of any supported type times float
   * activation rows {@code x[t * xStride ..]} for t in [0, rows), into {@code out[t * outStride + r]}.
   * Weight rows are dequantized {@link #GEMM_ROWS} at a time into {@code panel} (one per thread, at
   * least {@code GEMM_ROWS * cols} floats) and meet four activation rows at once in a register tile
   * (two where the CPU has 16 vector registers: x86 without AVX-512).
   * The summation order differs from {@link #matmulQ8}/{@link #matmulF}, so results agree with them
   * to float rounding only.
   */
  public static void gemm(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outStride, float[] panel) {
    gemm(Config.FLOAT_BITS, type, w, rowBytes, cols, from, to, x, xStride, rows, out, outStride, panel, NARROW_GEMM_TILE);
  }

  /**
   * True where the CPU has 16 vector registers (x86 without AVX-512): the GEMM then meets two
   * activation rows per step instead of four, so its accumulators and operands stay in registers
   * ({@code PrefillKernelBenchmark.gemm} on Zen 3, AVX2: 6.0–6.6 ms against 7.2–8.4 ms with the 4 × 4
   * tile). AArch64 (NEON/SVE) and AVX-512 have 32.
   */
  static final boolean NARROW_GEMM_TILE = isX86() && VectorProbe.isVectorApiPresent() && VectorDot.preferredBits() < 512;

  private static boolean isX86() {
    String arch = System.getProperty("os.arch", "");
    return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86");
  }

  static void gemm(int bits, GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outStride, float[] panel, boolean narrowTile) {
    if (panel.length < GEMM_ROWS * cols) throw new IllegalArgumentException("gemm panel holds " + panel.length + " floats, needs " + GEMM_ROWS * cols);
    switch (bits) {
      case 0 -> {
        for (int r = from; r < to; r++) {
          ScalarKernels.dequantizeRow(type, w, r * rowBytes, cols, panel);
          for (int t = 0; t < rows; t++) out[t * outStride + r] = ScalarKernels.dot(panel, 0, x, t * xStride, cols);
        }
      }
      case 512 -> FloatSimd512.gemm(type, w, rowBytes, cols, from, to, x, xStride, rows, out, outStride, panel, narrowTile);
      case 256 -> FloatSimd256.gemm(type, w, rowBytes, cols, from, to, x, xStride, rows, out, outStride, panel, narrowTile);
      default -> FloatSimd128.gemm(type, w, rowBytes, cols, from, to, x, xStride, rows, out, outStride, panel, narrowTile);
    }
  }

  /** {@code a[aOff..aOff+n) · b[bOff..bOff+n)} in float (vector lanes, then one reduction). */
  public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    int bits = Config.FLOAT_BITS;
    return dot(bits, a, aOff, b, bOff, n);
  }

  static float dot(int bits, float[] a, int aOff, float[] b, int bOff, int n) {
    return switch (bits) {
      case 0 -> ScalarKernels.dot(a, aOff, b, bOff, n);
      case 512 -> FloatSimd512.dot(a, aOff, b, bOff, n);
      case 256 -> FloatSimd256.dot(a, aOff, b, bOff, n);
      default -> FloatSimd128.dot(a, aOff, b, bOff, n);
    };
  }

  /** {@code y[yOff..yOff+n) += a * x[xOff..)}, multiply then add: the same bits as the scalar loop. */
  public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    axpy(Config.FLOAT_BITS, a, x, xOff, y, yOff, n);
  }

  static void axpy(int bits, float a, float[] x, int xOff, float[] y, int yOff, int n) {
    switch (bits) {
      case 0 -> {
        for (int i = 0; i < n; i++) y[yOff + i] += a * x[xOff + i];
      }
      case 512 -> FloatSimd512.axpy(a, x, xOff, y, yOff, n);
      case 256 -> FloatSimd256.axpy(a, x, xOff, y, yOff, n);
      default -> FloatSimd128.axpy(a, x, xOff, y, yOff, n);
    }
  }
}
