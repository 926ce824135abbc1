package ai.edgeai.llm.model;

/**
 * Scalar emulation of the float operations of llama.cpp's CPU backend as built for the references
 * (llama.cpp c392e50, {@code -march=native} on an AVX-512 machine), bit for bit. SIMD lanes are
 * independent, so each lane's operations are replayed in order with {@link Math#fma} where the C
 * code fuses; horizontal sums follow the exact reduction trees. Used only in ggml rounding mode
 * ({@link LlamaModel#setGgmlActivationRounding}); run.c mode keeps run.c's order.
 *
 * <p>What ggml does on that build, for one token per decode:
 * <ul>
 *   <li>F32 dot products ({@code ggml_vec_dot_f32}): 4 accumulators of 16 lanes over steps of 64
 *       elements with FMA, the accumulators added pairwise (0+2, 1+3, then 0+1), the 16 lanes summed
 *       as {@code _mm512_reduce_add_ps} does (halves: 8, 4, 2, 1), then the leftover elements added
 *       one by one in float (the compiler fuses each {@code sumf += x*y} into an FMA).
 *   <li>exp in softmax and SiLU: {@code ggml_v_expf}, a degree-5 polynomial with FMAs and a scalef;
 *       SiLU is {@code x / (1 + exp(-x))} in 16-lane blocks and with the C library's expf for the
 *       leftover elements of a row.
 *   <li>softmax: exp in 16-element blocks aligned to KV position 0 (masked positions give 0), each
 *       block summed in float as above and accumulated in double; probabilities times
 *       {@code (float) (1 / sum)}.
 *   <li>RoPE: theta_i = pos · s^i with s = powf(base, -2/n_dims), built by repeated float
 *       multiplication, then cosf/sinf; the rotation fuses its first product into an FMA.
 *   <li>Q4_0 matrices with a multiple of 8 rows are repacked by llama.cpp and summed in another
 *       order: {@link ai.edgeai.llm.kernel.Q4Repacked}.
 * </ul>
 */
final class GgmlNumerics {
  private GgmlNumerics() {}

  /**
   * Whether the C compiler fused {@code sumf += x*y} in ggml_vec_dot_f32's leftover loop into an
   * FMA. It did not: with the fusion the F32 model's first logits row differs from llama.cpp's,
   * without it the row is bit-identical. (RoPE's rotation, by contrast, is fused: {@link #rope}.)
   */
  static final boolean CONTRACT = false;

  /**
   * ggml's rope cache for one position: theta starts at pos and is multiplied by
   * s = powf(base, -2/n_dims) after each pair; a pair's angle is freq_scale · theta / factor, and
   * cos/sin are scaled by the attention factor (mscale). {@code scale} is the linear RoPE scaling
   * factor (freq_scale = 1/scale).
   */
  static void ropeCache(float[] cos, float[] sin, int pairs, int pos, float base, float scale, float[] factors, float mscale) {
    float thetaScale = (float) Math.pow(base, (double) (-2.0f / (2 * pairs)));
    float freqScale = 1.0f / scale;
    float theta = pos;
    for (int i = 0; i < pairs; i++) {
      float ff = factors != null ? factors[i] : 1.0f;
      float angle = freqScale * (theta / ff);
      cos[i] = (float) Math.cos(angle) * mscale;
      sin[i] = (float) Math.sin(angle) * mscale;
      theta *= thetaScale;
    }
  }

  /**
   * ggml's RoPE rotation of one pair (NORM or NEOX layout alike) as the reference build compiled
   * it: {@code x0*cos - x1*sin} and {@code x0*sin + x1*cos} with the first product fused into an
   * FMA. Writes the rotated pair to v[j0], v[j1].
   */
  static void rope(float[] v, int j0, int j1, float cos, float sin) {
    float x0 = v[j0];
    float x1 = v[j1];
    v[j0] = Math.fma(x0, cos, -(x1 * sin));
    v[j1] = Math.fma(x0, sin, x1 * cos);
  }

  /** KV positions the attention of llama.cpp's non-flash path spans: the used cells padded to 32. */
  static int paddedKv(int used) {
    return Math.max(32, (used + 31) & ~31);
  }

  /** One lane of AVX-512 {@code ggml_v_expf}. Flushes below about -104 to 0 and above 88.4 to infinity. */
  static float expf(float x) {
    float r = 0x1.8p23f;
    float z = Math.fma(x, 0x1.715476p+0f, r);
    float n = z - r;
    float b = Math.fma(-n, 0x1.7f7d1cp-20f, Math.fma(-n, 0x1.62e4p-1f, x));
    if (Math.abs(n) > 192f) return n <= 0f ? 0f : Float.POSITIVE_INFINITY; // ordered: NaN stays NaN
    float u = b * b;
    float j = Math.fma(
        Math.fma(Math.fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, Math.fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
        u,
        Math.fma(0x1.ffffecp-1f, b, 1.0f));
    return scalef(j, n);
  }

  /** {@code vscalefps}: j · 2^floor(n), one rounding (n is an integer here). */
  private static float scalef(float j, float n) {
    // j is in [0.7, 1.5) and |n| <= 192: the double product is exact, the cast rounds once.
    return (float) ((double) j * Math.scalb(1.0, (int) n));
  }

  /** One lane of AVX-512 {@code ggml_v_silu}: x / (1 + exp(0 - x)). */
  static float silu(float x) {
    return x / (1f + expf(0f - x));
  }

  /** ggml_silu_f32, the scalar leftover of a row: x / (1 + expf(-x)) with the C library's expf. */
  static float siluScalar(float x) {
    return x / (1.0f + (float) Math.exp(-x));
  }

  /** {@code ggml_vec_silu_f32} of gate[off .. off+n) in place (one row), then times up (ggml_mul). */
  static void swiglu(float[] gate, float[] up, int off, int n) {
    int vec = n & ~15;
    for (int i = 0; i < vec; i++) gate[off + i] = silu(gate[off + i]) * up[off + i];
    for (int i = vec; i < n; i++) gate[off + i] = siluScalar(gate[off + i]) * up[off + i];
  }

  /** {@code _mm512_reduce_add_ps} of v[off .. off+16): halves added, 8 + 8, 4 + 4, 2 + 2, 1 + 1. */
  static float reduce16(float[] v, int off) {
    float a0 = v[off] + v[off + 8], a1 = v[off + 1] + v[off + 9], a2 = v[off + 2] + v[off + 10], a3 = v[off + 3] + v[off + 11];
    float a4 = v[off + 4] + v[off + 12], a5 = v[off + 5] + v[off + 13], a6 = v[off + 6] + v[off + 14], a7 = v[off + 7] + v[off + 15];
    float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
    return (b0 + b2) + (b1 + b3);
  }

  private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[64]);

  /** {@code ggml_vec_dot_f32(n, x, y)} on the AVX-512 build. */
  static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
    int np = n & ~63;
    float sum = 0f;
    if (np > 0) {
      float[] acc = ACC.get();
      java.util.Arrays.fill(acc, 0f);
      for (int i = 0; i < np; i += 64) {
        for (int l = 0; l < 64; l++) acc[l] = Math.fma(x[xOff + i + l], y[yOff + i + l], acc[l]);
      }
      sum = reduceAccumulators(acc);
    }
    for (int i = np; i < n; i++) sum = leftover(sum, x[xOff + i], y[yOff + i]);
    return sum;
  }

  /** The four 16-lane accumulators acc[0..64) added as GGML_F32x16_REDUCE does, then reduced. */
  static float reduceAccumulators(float[] acc) {
    for (int l = 0; l < 16; l++) {
      float s02 = acc[l] + acc[32 + l];
      float s13 = acc[16 + l] + acc[48 + l];
      acc[l] = s02 + s13;
    }
    return reduce16(acc, 0);
  }

  /** One leftover step of ggml_vec_dot_f32: {@code sumf += x*y} in float. */
  static float leftover(float sum, float x, float y) {
    return CONTRACT ? Math.fma(x, y, sum) : sum + x * y;
  }

  /**
   * ggml's soft_max over the scores x[off + t] for t in [first, last] (already scaled): exp in
   * 16-lane blocks aligned to t = 0, blocks summed in float and accumulated in double, then
   * multiplied by (float) (1 / sum). Positions outside [first, last] are masked (probability 0).
   */
  static void softmax(float[] x, int off, int first, int last) {
    float max = Float.NEGATIVE_INFINITY;
    for (int t = first; t <= last; t++) max = Math.max(max, x[off + t]);
    float[] lanes = ACC.get();
    double sum = 0;
    for (int block = first & ~15; block <= last; block += 16) {
      for (int l = 0; l < 16; l++) {
        int t = block + l;
        if (t < first || t > last) {
          lanes[l] = 0f;
        } else {
          float e = expf(x[off + t] - max);
          x[off + t] = e;
          lanes[l] = e;
        }
      }
      sum += reduce16(lanes, 0);
    }
    float inv = (float) (1.0 / sum);
    for (int t = first; t <= last; t++) x[off + t] *= inv;
  }

  /**
   * The attention output of one head, element {@code i}: ggml_vec_dot_f32 over the KV positions
   * [0, nKv) of the (transposed) value cache row and the probabilities, where only [first, last]
   * are non-zero. Values at position t: {@code v[vOff + t * vStride]}; probabilities {@code p[pOff + t]}.
   */
  static float weightedValues(float[] v, int vOff, int vStride, float[] p, int pOff, int first, int last, int nKv) {
    int np = nKv & ~63;
    float sum = 0f;
    int end = Math.min(last + 1, np);
    if (first < end) {
      float[] acc = ACC.get();
      java.util.Arrays.fill(acc, 0f);
      for (int t = first; t < end; t++) acc[t & 63] = Math.fma(v[vOff + t * vStride], p[pOff + t], acc[t & 63]);
      sum = reduceAccumulators(acc);
    }
    // Leftovers past the last 64-step; masked positions add x·0 = 0 and change nothing.
    for (int t = Math.max(first, np); t <= last; t++) sum = leftover(sum, v[vOff + t * vStride], p[pOff + t]);
    return sum;
  }
}
