package ai.edgeai.llm.kernel;

import java.util.Arrays;

/**
 * One or more activation rows quantized to ggml's Q8_0 blocks (per block of 32: {@code d = amax /
 * 127} rounded through F16, {@code q = round-half-even(x * 127 / amax)}), exactly as
 * {@code ai.edgeai.llm.tensor.Q8Activations} and llama.cpp's {@code quantize_row_q8_0} do, plus
 * the layout the SIMD kernels read.
 *
 * <p>The SIMD layout ("planes") regroups each block so that lane {@code k} of an 8-lane vector holds
 * elements {@code 4k..4k+3}: plane {@code j} (0..3) holds element {@code 4k+j} as a float, and a
 * fifth plane holds {@code -8 * (sum of the four)} (the Q4_0 offset folded in). Products of small
 * integers are exact in float, so the kernels get the same integer partial sums as ggml's
 * {@code vpmaddubsw}/{@code vpmaddwd} code, and lane {@code k} is where ggml's 8-lane accumulator
 * adds them. Allocated once and reused; {@link #quantize} allocates nothing.
 */
public final class Q8Batch {

  /** Floats per block in {@link #planes}: 5 planes of 8 lanes. */
  static final int PLANE_FLOATS = 40;

  /**
   * Ints per block in {@link #pairs}: 5 planes of 8 lanes for the decode kernels' packed integer
   * products. With lane {@code k}'s activations {@code x0..x3} (elements {@code 4k..4k+3}):
   * plane 0 = {@code x2 + x0 * 2^16}, plane 1 = {@code x3 + x1 * 2^16}, so a weight pair packed as
   * {@code a + c * 2^16} times plane 0 holds {@code a*x0 + c*x2} in bits 16..31 (the low product
   * {@code a*x2} stays below 2^15 in magnitude and is rounded away by the bias); plane 2 = Q4_0
   * bias {@code 2^15 - 8 * (x0+x1+x2+x3) * 2^16}; planes 3, 4 = Q8_0 biases {@code 2^15 - 128 *
   * (x0+x2) * 2^16} and {@code 2^15 - 128 * (x1+x3) * 2^16} (Q8_0 weights are read offset by 128).
   * All arithmetic is modulo 2^32; the values that matter fit, so the sums are exact.
   */
  static final int PAIR_INTS = 40;

  final int maxRows;
  final int maxCols;
  final int blocksPerRow;
  final byte[] qs; // [row][col]
  final float[] d; // [row][block], F16-rounded
  // The GGUF-layout kernels' layouts, allocated by the first quantize() (a model whose matrices are
  // all repacked never needs their 10 MB at the 1B shape's batch of 128 x 8192).
  float[] planes; // [row][block][5][8]
  int[] pairs; // [row][block][5][8]
  /**
   * For {@link Q4Interleaved}: per row and block, 16 ints, int {@code c} = the activation pair
   * {@code (x[2c], x[2c+1])} and int {@code 8 + c} = {@code (x[2c+16], x[2c+17])}, each as two
   * 16-bit halves (first element in the low half), ready to broadcast against 16-bit weight lanes.
   * Room for one row until a row past the first is quantized with them ({@link #reserveNibbleRows}):
   * prompt batches for the packed GEMM never need them, and the 1B shape's 128 rows take 2 MB.
   */
  int[] nibblePairs; // [row][block][16]
  /** For {@link Q4Interleaved}: per row and block, {@code -8 * sum(x)} (the Q4_0 nibble offset). */
  final int[] q4Bias; // [row][block]
  /** Token-lane layout for exact prefill ({@link #transposeTokens}); allocated on its first use. */
  float[] xt = new float[0]; // [group][element][lane]
  float[] dxt = new float[0]; // [group][block][lane]
  /** Most lanes {@link #transposeTokens} supports (512-bit float vectors). */
  static final int MAX_LANES = 16;

  /** Room for {@code maxRows} rows of up to {@code maxCols} elements (a multiple of 32). */
  public Q8Batch(int maxRows, int maxCols) {
    if (maxRows < 1 || maxCols < 32 || maxCols % 32 != 0) {
      throw new IllegalArgumentException("Q8 batch needs >= 1 row and a positive multiple of 32 columns, got " + maxRows + " x " + maxCols);
    }
    this.maxRows = maxRows;
    this.maxCols = maxCols;
    this.blocksPerRow = maxCols / 32;
    this.qs = new byte[maxRows * maxCols];
    this.d = new float[maxRows * blocksPerRow];
    this.nibblePairs = new int[blocksPerRow * 16];
    this.q4Bias = new int[maxRows * blocksPerRow];
  }

  public int maxRows() {
    return maxRows;
  }

  public int maxCols() {
    return maxCols;
  }

  /** Largest magnitude among the 32 values from {@code x[o]} (a Q8_0 block's scale is this / 127). */
  private static float blockAmax(float[] x, int o) {
    float amax = 0f;
    for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
    return amax;
  }

  private void checkRow(int row, int n) {
    if (n % 32 != 0 || n > maxCols) throw new IllegalArgumentException("length " + n + " is not a multiple of 32 up to " + maxCols);
    if (row < 0 || row >= maxRows) throw new IllegalArgumentException("row " + row + " outside 0.." + (maxRows - 1));
  }

  /**
   * Allocates the GGUF-layout kernels' layouts if {@link #quantize} has not yet. Callers that
   * quantize rows from several threads call this first, on one thread: the first {@code quantize}
   * would otherwise allocate them racily.
   */
  public void prepareAllLayouts() {
    if (planes == null) {
      planes = new float[maxRows * blocksPerRow * PLANE_FLOATS];
      pairs = new int[maxRows * blocksPerRow * PAIR_INTS];
    }
  }

  /**
   * Makes room for the activation pairs of rows [0, rows), for all {@link #maxRows} at once when
   * one row's room is not enough. Callers that quantize rows from several threads call this first,
   * on one thread, as with {@link #prepareAllLayouts}.
   */
  public void reserveNibbleRows(int rows) {
    // Copied: row 0's pairs may have been written already.
    if (nibblePairs.length < rows * blocksPerRow * 16) nibblePairs = Arrays.copyOf(nibblePairs, maxRows * blocksPerRow * 16);
  }

  /**
   * Quantizes {@code x[xOff .. xOff+n)} into row {@code row}, in every layout; {@code n} is a
   * multiple of 32. Rows may be quantized from several threads once {@link #prepareAllLayouts} and
   * {@link #reserveNibbleRows} have run.
   */
  public void quantize(int row, float[] x, int xOff, int n) {
    checkRow(row, n);
    prepareAllLayouts();
    reserveNibbleRows(row + 1);
    float[] planes = this.planes;
    int[] pairs = this.pairs;
    int qBase = row * maxCols;
    int dBase = row * blocksPerRow;
    int pBase = dBase * PLANE_FLOATS;
    for (int b = 0; b < n / 32; b++) {
      int o = xOff + b * 32;
      float amax = blockAmax(x, o);
      float scale = amax / 127f;
      float id = amax != 0f ? 127f / amax : 0f;
      d[dBase + b] = Float.float16ToFloat(Float.floatToFloat16(scale));
      int qo = qBase + b * 32;
      int po = pBase + b * PLANE_FLOATS;
      int io = (dBase + b) * PAIR_INTS;
      int blockSum = 0;
      for (int k = 0; k < 8; k++) {
        int sum = 0;
        for (int j = 0; j < 4; j++) {
          int q = (int) Math.rint(x[o + 4 * k + j] * id);
          qs[qo + 4 * k + j] = (byte) q;
          planes[po + 8 * j + k] = q;
          sum += q;
        }
        planes[po + 32 + k] = -8 * sum;
        blockSum += sum;
        int x0 = qs[qo + 4 * k], x1 = qs[qo + 4 * k + 1], x2 = qs[qo + 4 * k + 2], x3 = qs[qo + 4 * k + 3];
        pairs[io + k] = x2 + (x0 << 16);
        pairs[io + 8 + k] = x3 + (x1 << 16);
        pairs[io + 16 + k] = (1 << 15) + ((-8 * sum) << 16);
        pairs[io + 24 + k] = (1 << 15) + ((-128 * (x0 + x2)) << 16);
        pairs[io + 32 + k] = (1 << 15) + ((-128 * (x1 + x3)) << 16);
      }
      int no = (dBase + b) * 16;
      for (int c = 0; c < 8; c++) {
        nibblePairs[no + c] = (qs[qo + 2 * c] & 0xFFFF) | (qs[qo + 2 * c + 1] << 16);
        nibblePairs[no + 8 + c] = (qs[qo + 16 + 2 * c] & 0xFFFF) | (qs[qo + 17 + 2 * c] << 16);
      }
      q4Bias[dBase + b] = -8 * blockSum;
    }
  }

  /**
   * {@link #quantize} for the repacked kernels only ({@link Q4Interleaved}, {@link Q8Interleaved}
   * and {@link PackedGemm}): the same quants, scales, activation pairs and Q4_0 offsets, without the
   * planes and pairs of the GGUF-layout kernels, which took most of the time (a decode token
   * quantizes 65 activation rows on the 1B shape).
   */
  public void quantizeForRepacked(int row, float[] x, int xOff, int n) {
    checkRow(row, n);
    reserveNibbleRows(row + 1);
    int qBase = row * maxCols;
    int dBase = row * blocksPerRow;
    for (int b = 0; b < n / 32; b++) {
      int o = xOff + b * 32;
      float id = scaleBlock(x, o, dBase + b);
      int qo = qBase + b * 32;
      int no = (dBase + b) * 16;
      int sum = 0;
      for (int c = 0; c < 16; c++) {
        // |x * id| <= 127, so the byte keeps the int's value (as quantize's layouts read it back).
        int q0 = (int) Math.rint(x[o + 2 * c] * id);
        int q1 = (int) Math.rint(x[o + 2 * c + 1] * id);
        qs[qo + 2 * c] = (byte) q0;
        qs[qo + 2 * c + 1] = (byte) q1;
        nibblePairs[no + c] = (q0 & 0xFFFF) | (q1 << 16);
        sum += q0 + q1;
      }
      q4Bias[dBase + b] = -8 * sum;
    }
  }

  /**
   * The quants and scales alone ({@link PackedGemm#packActivations} reads nothing else): what
   * {@link #quantizeForRepacked} writes there, without the activation pairs and Q4_0 offsets that
   * only the decode and 3-token tile kernels read.
   */
  public void quantizeForPacked(int row, float[] x, int xOff, int n) {
    checkRow(row, n);
    for (int b = 0; b < n / 32; b++) {
      int o = xOff + b * 32;
      float id = scaleBlock(x, o, row * blocksPerRow + b);
      int qo = row * maxCols + b * 32;
      for (int j = 0; j < 32; j++) qs[qo + j] = (byte) (int) Math.rint(x[o + j] * id);
    }
  }

  /**
   * Stores the scale of the block at {@code x[o ..]} in {@code d[at]} (its largest magnitude / 127,
   * rounded through F16 as ggml stores it) and returns the factor that quantizes its values.
   */
  private float scaleBlock(float[] x, int o, int at) {
    float amax = blockAmax(x, o);
    d[at] = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
    return amax != 0f ? 127f / amax : 0f;
  }

  /**
   * {@code x[xOff .. xOff+n)} rounded through Q8_0 and back, into {@code out[outOff ..]}: the same
   * values as {@link #quantize} followed by {@code q * d}, in one pass and without the kernel
   * layouts (for the prefill GEMM, which takes the rounded activations as floats).
   */
  public static void roundTrip(float[] x, int xOff, int n, float[] out, int outOff) {
    if (n % 32 != 0) throw new IllegalArgumentException("length " + n + " is not a multiple of 32");
    for (int b = 0; b < n / 32; b++) {
      int o = xOff + b * 32;
      float amax = blockAmax(x, o);
      float id = amax != 0f ? 127f / amax : 0f;
      float d = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
      int t = outOff + b * 32;
      for (int j = 0; j < 32; j++) out[t + j] = (byte) (int) Math.rint(x[o + j] * id) * d;
    }
  }

  /**
   * Rows [0, tokens) in the token-lane layout of the prefill kernels, {@code lanes} tokens per
   * group: {@code xt[g * maxCols * lanes + e * lanes + lane]} = quant {@code e} of token
   * {@code g * lanes + lane} (an integer-valued float), {@code dxt[g * blocksPerRow * lanes + b *
   * lanes + lane]} = its block scale; lanes past the last token hold zeros.
   */
  public void transposeTokens(int lanes, int tokens, int cols) {
    if (lanes < 1 || lanes > MAX_LANES || tokens < 1 || tokens > maxRows || maxRows == 1) {
      throw new IllegalArgumentException("cannot lay out " + tokens + " of " + maxRows + " rows in " + lanes + " lanes");
    }
    int groups = (tokens + lanes - 1) / lanes;
    int blocks = cols >> 5;
    if (xt.length == 0) {
      // Once, for the largest batch at any lane count: only exact prefill and exact order use it.
      int rows = (maxRows + MAX_LANES - 1) / MAX_LANES * MAX_LANES;
      xt = new float[rows * maxCols];
      dxt = new float[rows * blocksPerRow];
    }
    for (int g = 0; g < groups; g++) {
      int xo = g * maxCols * lanes;
      int dO = g * blocksPerRow * lanes;
      for (int lane = 0; lane < lanes; lane++) {
        int t = g * lanes + lane;
        if (t < tokens) {
          int qBase = t * maxCols;
          for (int e = 0; e < cols; e++) xt[xo + e * lanes + lane] = qs[qBase + e];
          for (int b = 0; b < blocks; b++) dxt[dO + b * lanes + lane] = d[t * blocksPerRow + b];
        } else {
          for (int e = 0; e < cols; e++) xt[xo + e * lanes + lane] = 0f;
          for (int b = 0; b < blocks; b++) dxt[dO + b * lanes + lane] = 0f;
        }
      }
    }
  }

  /** Quantized element {@code i} of row {@code row} (for tests). */
  public int q(int row, int i) {
    return qs[row * maxCols + i];
  }

  /** Scale of block {@code b} of row {@code row} (for tests). */
  public float scale(int row, int b) {
    return d[row * blocksPerRow + b];
  }
}
