package ai.edgeai.llm.kernel;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prefill matrix product on packed operands, for 512-bit vectors: a panel of {@value #ROWS} weight
 * rows laid out k-major ({@code panel[k * 32 + row]}, dequantized by the caller) meets activations packed k-major too (tiles of 12 tokens, {@link #at}; token count padded to a
 * multiple of {@value #TOKENS}), {@value #ROWS} rows × {@value #TOKENS} tokens at a time. The
 * weight rows sit in the vector lanes, so the 24 accumulators need no horizontal sums: per column
 * two panel loads, twelve broadcasts and 24 FMAs (the register-blocked shape of BLAS kernels; the
 * row-dot-product tiles of {@link FloatSimd512} load one operand per two FMAs).
 *
 * <p>Order: each output is {@code fma(w[k], x[k], acc)} over k from 0 upwards, the same whether the
 * columns come in one slice or several (a slice continues from the partial sums it stored), so
 * {@link #reference} gives the same bits.
 */
public final class PackedGemm {

  /** Weight rows per panel: two 16-lane vectors. */
  public static final int ROWS = 32;
  /** Tokens per tile. */
  static final int TOKENS = 12;
  /** Columns per tile pass: 32 rows × 256 columns of floats (32 KB) stay in the L1 cache while every token tile uses them. */
  public static final int SLICE = 256;

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;

  private PackedGemm() {}

  /** True where the kernels run with 512-bit vectors (the only width this shape is written for). */
  public static boolean applies() {
    return Kernels.floatBits() == 512;
  }

  /** Floats of the per-thread panel the repacked matrices' GEMMs need for rows of {@code cols} columns. */
  public static int panelFloats(int cols) {
    return ROWS * cols + 16;
  }

  /** Tokens rounded up to whole tiles: the row length of the packed activations. */
  public static int paddedTokens(int tokens) {
    return (tokens + TOKENS - 1) / TOKENS * TOKENS;
  }

  /**
   * Where token {@code t}, column {@code k} of activations packed for rows of {@code cols} columns
   * sits: tiles of {@value #TOKENS} tokens, each a k-major block {@code [cols][TOKENS]}, so that
   * the kernel's per-column index has a constant stride (C2 then drops its range checks).
   */
  static int at(int t, int k, int cols) {
    return t / TOKENS * (cols * TOKENS) + k * TOKENS + t % TOKENS;
  }

  /**
   * Columns [k0, k1) (multiples of 32) of activation rows [0, tokens) of {@code x}, rows of
   * {@code cols} columns, as the floats the Q8_0 kernels see ({@code q * d}), laid out as
   * {@link #at} says; padding tokens up to {@link #paddedTokens} are zero. Column ranges can be
   * packed by different threads. {@code xt} holds at least {@code paddedTokens(tokens) * cols}.
   */
  public static void packActivations(Q8Batch x, int tokens, int cols, int k0, int k1, float[] xt) {
    int tp = paddedTokens(tokens);
    if (tokens > x.maxRows || k0 % 32 != 0 || k1 % 32 != 0 || k1 > cols || cols > x.maxCols || k0 > k1) {
      throw new IllegalArgumentException("cannot pack columns [" + k0 + ", " + k1 + ") of " + tokens + " rows of " + cols + " from a batch of " + x.maxRows + " x " + x.maxCols);
    }
    if (xt.length < tp * cols) throw new IllegalArgumentException("packed activations need " + tp * cols + " floats, got " + xt.length);
    for (int t = 0; t < tokens; t++) {
      int qo = t * x.maxCols, dOff = t * x.blocksPerRow, base = at(t, 0, cols);
      for (int b = k0 / 32; b < k1 / 32; b++) {
        float d = x.d[dOff + b];
        for (int k = 32 * b; k < 32 * b + 32; k++) xt[base + k * TOKENS] = x.qs[qo + k] * d;
      }
    }
    for (int t = tokens; t < tp; t++) {
      int base = at(t, 0, cols);
      for (int k = k0; k < k1; k++) xt[base + k * TOKENS] = 0;
    }
  }

  /** Dequantizes blocks [b0, b1) of the 16-row group at {@code base} into panel lanes {@code lane0 .. lane0 + 15}. */
  @FunctionalInterface
  interface GroupDequantizer {
    void dequantize(MemorySegment w, long base, int b0, int b1, float[] panel, int lane0, int scalesAt);
  }

  /**
   * The prompt GEMM of a matrix repacked into 16-row groups ({@link Q4Interleaved},
   * {@link Q8Interleaved}; {@code groupBlockBytes} per group and block): rows [from, to) times the
   * {@code tokens} activation rows packed into {@code xt}, into {@code out[t * outStride + r]}. Two
   * groups at a time are dequantized over their whole width (one long sequential read the hardware
   * prefetcher follows; a slice at a time, the reads stalled on memory latency), then meet all the
   * tokens {@link #SLICE} columns at a time. {@code panel} holds {@link #panelFloats}{@code (cols)}.
   */
  static void repacked(GroupDequantizer dequantizer, int groupBlockBytes, MemorySegment w, int cols, int from, int to, float[] xt, int tokens,
      float[] out, int outStride, float[] panel) {
    if (!applies()) throw new IllegalStateException("the packed GEMM needs 512-bit kernels, these are " + Kernels.floatBits() + "-bit");
    if (from % 16 != 0 || to % 16 != 0) throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not whole groups of 16");
    if (cols % 32 != 0) throw new IllegalArgumentException("row length " + cols + " is not a multiple of 32");
    if (panel.length < panelFloats(cols)) throw new IllegalArgumentException("panel of " + panel.length + " floats, " + panelFloats(cols) + " needed");
    int blocks = cols / 32;
    long groupBytes = (long) blocks * groupBlockBytes;
    if (w.byteSize() < to / 16 * groupBytes) throw new IllegalArgumentException("repacked matrix has " + w.byteSize() + " bytes, rows up to " + to + " need more");
    int scalesAt = ROWS * cols;
    for (int g = from / 16; g < to / 16; g += 2) {
      boolean pair = g + 1 < to / 16;
      dequantizer.dequantize(w, g * groupBytes, 0, blocks, panel, 0, scalesAt);
      if (pair) dequantizer.dequantize(w, (g + 1) * groupBytes, 0, blocks, panel, 16, scalesAt);
      for (int k0 = 0; k0 < cols; k0 += SLICE) {
        tiles(panel, 0, k0, Math.min(cols, k0 + SLICE), xt, cols, tokens, out, outStride, g * 16, pair ? ROWS : 16, k0 > 0);
      }
    }
  }

  /**
   * Columns [k0, k1) of a panel of {@code rows} (16 or 32) weight rows starting at row {@code r0}
   * (column k at {@code panel[(k - panelK0) * 32 ..]})
   * times the packed tokens [0, tokens): {@code out[t * outStride + r0 + i]} receives the partial
   * sum, continuing from the value there when {@code accumulate}. Panel lanes of absent rows must
   * be zero.
   */
  static void tiles(float[] panel, int panelK0, int k0, int k1, float[] xt, int cols, int tokens, float[] out, int outStride, int r0, int rows,
      boolean accumulate) {
    // rows is 16 or 32, tested in one comparison: a branch on rows == 16 that the profile had not
    // yet seen taken became a trap in C2's first compile (deoptimized, recompiled) on the first prompt.
    if (((rows - 16) & ~16) != 0) throw new IllegalArgumentException("panel of " + rows + " rows");
    boolean both = rows == ROWS;
    // The last, partial tile first: its skipped stores are then in the profile before C2 compiles
    // the loop (taken after the full tiles, they were a trap in the first compile, as above).
    for (int t0 = (tokens - 1) / TOKENS * TOKENS; t0 >= 0; t0 -= TOKENS) {
      int xt0 = at(t0, 0, cols);
      FloatVector c0_0 = start(out, outStride, t0 + 0, tokens, r0, accumulate, true), c1_0 = start(out, outStride, t0 + 0, tokens, r0 + 16, accumulate, both);
      FloatVector c0_1 = start(out, outStride, t0 + 1, tokens, r0, accumulate, true), c1_1 = start(out, outStride, t0 + 1, tokens, r0 + 16, accumulate, both);
      FloatVector c0_2 = start(out, outStride, t0 + 2, tokens, r0, accumulate, true), c1_2 = start(out, outStride, t0 + 2, tokens, r0 + 16, accumulate, both);
      FloatVector c0_3 = start(out, outStride, t0 + 3, tokens, r0, accumulate, true), c1_3 = start(out, outStride, t0 + 3, tokens, r0 + 16, accumulate, both);
      FloatVector c0_4 = start(out, outStride, t0 + 4, tokens, r0, accumulate, true), c1_4 = start(out, outStride, t0 + 4, tokens, r0 + 16, accumulate, both);
      FloatVector c0_5 = start(out, outStride, t0 + 5, tokens, r0, accumulate, true), c1_5 = start(out, outStride, t0 + 5, tokens, r0 + 16, accumulate, both);
      FloatVector c0_6 = start(out, outStride, t0 + 6, tokens, r0, accumulate, true), c1_6 = start(out, outStride, t0 + 6, tokens, r0 + 16, accumulate, both);
      FloatVector c0_7 = start(out, outStride, t0 + 7, tokens, r0, accumulate, true), c1_7 = start(out, outStride, t0 + 7, tokens, r0 + 16, accumulate, both);
      FloatVector c0_8 = start(out, outStride, t0 + 8, tokens, r0, accumulate, true), c1_8 = start(out, outStride, t0 + 8, tokens, r0 + 16, accumulate, both);
      FloatVector c0_9 = start(out, outStride, t0 + 9, tokens, r0, accumulate, true), c1_9 = start(out, outStride, t0 + 9, tokens, r0 + 16, accumulate, both);
      FloatVector c0_10 = start(out, outStride, t0 + 10, tokens, r0, accumulate, true), c1_10 = start(out, outStride, t0 + 10, tokens, r0 + 16, accumulate, both);
      FloatVector c0_11 = start(out, outStride, t0 + 11, tokens, r0, accumulate, true), c1_11 = start(out, outStride, t0 + 11, tokens, r0 + 16, accumulate, both);
      for (int k = k0; k < k1; k++) {
        int pk = (k - panelK0) * ROWS, xk = xt0 + k * TOKENS;
        FloatVector a0 = FloatVector.fromArray(F, panel, pk), a1 = FloatVector.fromArray(F, panel, pk + 16);
        FloatVector b;
        b = FloatVector.broadcast(F, xt[xk + 0]);
        c0_0 = a0.fma(b, c0_0);
        c1_0 = a1.fma(b, c1_0);
        b = FloatVector.broadcast(F, xt[xk + 1]);
        c0_1 = a0.fma(b, c0_1);
        c1_1 = a1.fma(b, c1_1);
        b = FloatVector.broadcast(F, xt[xk + 2]);
        c0_2 = a0.fma(b, c0_2);
        c1_2 = a1.fma(b, c1_2);
        b = FloatVector.broadcast(F, xt[xk + 3]);
        c0_3 = a0.fma(b, c0_3);
        c1_3 = a1.fma(b, c1_3);
        b = FloatVector.broadcast(F, xt[xk + 4]);
        c0_4 = a0.fma(b, c0_4);
        c1_4 = a1.fma(b, c1_4);
        b = FloatVector.broadcast(F, xt[xk + 5]);
        c0_5 = a0.fma(b, c0_5);
        c1_5 = a1.fma(b, c1_5);
        b = FloatVector.broadcast(F, xt[xk + 6]);
        c0_6 = a0.fma(b, c0_6);
        c1_6 = a1.fma(b, c1_6);
        b = FloatVector.broadcast(F, xt[xk + 7]);
        c0_7 = a0.fma(b, c0_7);
        c1_7 = a1.fma(b, c1_7);
        b = FloatVector.broadcast(F, xt[xk + 8]);
        c0_8 = a0.fma(b, c0_8);
        c1_8 = a1.fma(b, c1_8);
        b = FloatVector.broadcast(F, xt[xk + 9]);
        c0_9 = a0.fma(b, c0_9);
        c1_9 = a1.fma(b, c1_9);
        b = FloatVector.broadcast(F, xt[xk + 10]);
        c0_10 = a0.fma(b, c0_10);
        c1_10 = a1.fma(b, c1_10);
        b = FloatVector.broadcast(F, xt[xk + 11]);
        c0_11 = a0.fma(b, c0_11);
        c1_11 = a1.fma(b, c1_11);
      }
      if (t0 + 0 < tokens) {
        c0_0.intoArray(out, (t0 + 0) * outStride + r0);
        if (both) c1_0.intoArray(out, (t0 + 0) * outStride + r0 + 16);
      }
      if (t0 + 1 < tokens) {
        c0_1.intoArray(out, (t0 + 1) * outStride + r0);
        if (both) c1_1.intoArray(out, (t0 + 1) * outStride + r0 + 16);
      }
      if (t0 + 2 < tokens) {
        c0_2.intoArray(out, (t0 + 2) * outStride + r0);
        if (both) c1_2.intoArray(out, (t0 + 2) * outStride + r0 + 16);
      }
      if (t0 + 3 < tokens) {
        c0_3.intoArray(out, (t0 + 3) * outStride + r0);
        if (both) c1_3.intoArray(out, (t0 + 3) * outStride + r0 + 16);
      }
      if (t0 + 4 < tokens) {
        c0_4.intoArray(out, (t0 + 4) * outStride + r0);
        if (both) c1_4.intoArray(out, (t0 + 4) * outStride + r0 + 16);
      }
      if (t0 + 5 < tokens) {
        c0_5.intoArray(out, (t0 + 5) * outStride + r0);
        if (both) c1_5.intoArray(out, (t0 + 5) * outStride + r0 + 16);
      }
      if (t0 + 6 < tokens) {
        c0_6.intoArray(out, (t0 + 6) * outStride + r0);
        if (both) c1_6.intoArray(out, (t0 + 6) * outStride + r0 + 16);
      }
      if (t0 + 7 < tokens) {
        c0_7.intoArray(out, (t0 + 7) * outStride + r0);
        if (both) c1_7.intoArray(out, (t0 + 7) * outStride + r0 + 16);
      }
      if (t0 + 8 < tokens) {
        c0_8.intoArray(out, (t0 + 8) * outStride + r0);
        if (both) c1_8.intoArray(out, (t0 + 8) * outStride + r0 + 16);
      }
      if (t0 + 9 < tokens) {
        c0_9.intoArray(out, (t0 + 9) * outStride + r0);
        if (both) c1_9.intoArray(out, (t0 + 9) * outStride + r0 + 16);
      }
      if (t0 + 10 < tokens) {
        c0_10.intoArray(out, (t0 + 10) * outStride + r0);
        if (both) c1_10.intoArray(out, (t0 + 10) * outStride + r0 + 16);
      }
      if (t0 + 11 < tokens) {
        c0_11.intoArray(out, (t0 + 11) * outStride + r0);
        if (both) c1_11.intoArray(out, (t0 + 11) * outStride + r0 + 16);
      }
    }
  }

  private static FloatVector start(float[] out, int outStride, int t, int tokens, int r, boolean accumulate, boolean present) {
    return accumulate && present && t < tokens ? FloatVector.fromArray(F, out, t * outStride + r) : FloatVector.zero(F);
  }

  /** Scalar reference of {@link #tiles}: the same operations, one output at a time. */
  static void reference(float[] panel, int panelK0, int k0, int k1, float[] xt, int cols, int tokens, float[] out, int outStride, int r0, int rows,
      boolean accumulate) {
    for (int t = 0; t < tokens; t++) {
      for (int i = 0; i < rows; i++) {
        float acc = accumulate ? out[t * outStride + r0 + i] : 0f;
        for (int k = k0; k < k1; k++) acc = Math.fma(panel[(k - panelK0) * ROWS + i], xt[at(t, k, cols)], acc);
        out[t * outStride + r0 + i] = acc;
      }
    }
  }
}
