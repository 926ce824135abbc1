package ai.edgeai.llm.model;

/**
 * Hyperparameters of a Llama-family decoder.
 *
 * @param dim embedding width
 * @param hiddenDim feed-forward width
 * @param layers number of transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention when fewer than heads)
 * @param vocabSize vocabulary size (rows of the embedding and output matrices)
 * @param contextLength the context length the model file declares
 * @param headSize width of one head
 * @param ropeDims rotated dimensions per head (usually headSize)
 * @param ropeTheta RoPE frequency base
 * @param ropeScale linear RoPE position scale (positions are multiplied by 1/ropeScale); 1 for none
 * @param rmsEps RMSNorm epsilon
 */
public record LlamaConfig(
    int dim,
    int hiddenDim,
    int layers,
    int heads,
    int kvHeads,
    int vocabSize,
    int contextLength,
    int headSize,
    int ropeDims,
    float ropeTheta,
    float ropeScale,
    float rmsEps) {

  public LlamaConfig {
    positive("dim", dim);
    positive("hidden_dim", hiddenDim);
    positive("layers", layers);
    positive("heads", heads);
    positive("kv_heads", kvHeads);
    positive("vocab_size", vocabSize);
    positive("context_length", contextLength);
    positive("head_size", headSize);
    if (heads % kvHeads != 0) throw new IllegalArgumentException("heads " + heads + " is not a multiple of kv_heads " + kvHeads);
    if (ropeDims < 0 || ropeDims > headSize || ropeDims % 2 != 0) {
      throw new IllegalArgumentException("rope dimension count " + ropeDims + " must be even and at most head size " + headSize);
    }
    if (!(ropeTheta > 0)) throw new IllegalArgumentException("rope freq base must be > 0: " + ropeTheta);
    if (!(ropeScale > 0)) throw new IllegalArgumentException("rope scale must be > 0: " + ropeScale);
    if (!(rmsEps > 0)) throw new IllegalArgumentException("rms epsilon must be > 0: " + rmsEps);
  }

  private static void positive(String what, int v) {
    if (v <= 0) throw new IllegalArgumentException(what + " must be positive, got " + v);
  }

  /** Width of the key and value projections. */
  public int kvDim() {
    return kvHeads * headSize;
  }

  /** Query heads per key/value head. */
  public int kvMul() {
    return heads / kvHeads;
  }

  /** Width of the attention output (heads × head size), equal to dim for Llama. */
  public int qDim() {
    return heads * headSize;
  }
}
