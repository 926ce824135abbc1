package ai.edgeai.llm.model;

/**
 * The small weights that only some families carry, per layer; an array is null when the model has
 * none of that kind. Fused matrices (Phi-3's {@code attn_qkv}, its gate‖up {@code ffn_up}) need no
 * entry here: they are split into row-range views of the mapped tensor in {@link LlamaWeights}.
 *
 * @param qBias Q projection biases (Qwen2), [layer][qDim]
 * @param kBias K projection biases, [layer][kvDim]
 * @param vBias V projection biases, [layer][kvDim]
 * @param qNorm per-head RMSNorm weights of Q (Qwen3, Gemma 3), [layer][headSize]
 * @param kNorm per-head RMSNorm weights of K, [layer][headSize]
 * @param postAttnNorm RMSNorm on the attention output before the residual add (Gemma 2/3), [layer][dim]
 * @param postFfnNorm RMSNorm on the feed-forward output before the residual add (Gemma 2/3), [layer][dim]
 * @param ropeFactorsShort Phi-3 per-dimension RoPE divisors within the original context, [ropeDims/2]
 * @param ropeFactorsLong Phi-3 per-dimension RoPE divisors beyond it, [ropeDims/2]
 * @param outputBias bias of the output projection, [vocab]
 */
public record ExtraWeights(
    float[][] qBias,
    float[][] kBias,
    float[][] vBias,
    float[][] qNorm,
    float[][] kNorm,
    float[][] postAttnNorm,
    float[][] postFfnNorm,
    float[] ropeFactorsShort,
    float[] ropeFactorsLong,
    float[] outputBias) {

  /** None of them (Llama). */
  public static final ExtraWeights NONE = new ExtraWeights(null, null, null, null, null, null, null, null, null, null);

  /** Number of values held (for parameter counts). */
  long elementCount() {
    long n = 0;
    for (float[][] a : new float[][][] {qBias, kBias, vBias, qNorm, kNorm, postAttnNorm, postFfnNorm}) {
      if (a != null) for (float[] v : a) n += v == null ? 0 : v.length;
    }
    for (float[] v : new float[][] {ropeFactorsShort, ropeFactorsLong, outputBias}) if (v != null) n += v.length;
    return n;
  }
}
