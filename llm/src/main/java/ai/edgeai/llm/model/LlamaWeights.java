package ai.edgeai.llm.model;

import ai.edgeai.llm.tensor.Tensor;

/**
 * The weights of a Llama-family model: matrices stay as {@link Tensor} views of the mapped file;
 * only the small norm vectors are copied to float arrays.
 *
 * <p>Matrix orientation: every matrix has one row per output element ({@code out[i] = row_i · x}),
 * so {@code wq} is {@code qDim × dim}, {@code w1}/{@code w3} (gate/up) are {@code hidden × dim},
 * {@code w2} (down) is {@code dim × hidden}, {@code output} is {@code vocab × dim}.
 */
public record LlamaWeights(
    Tensor tokenEmbedding,
    float[][] attnNorm,
    Tensor[] wq,
    Tensor[] wk,
    Tensor[] wv,
    Tensor[] wo,
    float[][] ffnNorm,
    Tensor[] w1,
    Tensor[] w2,
    Tensor[] w3,
    float[] outputNorm,
    Tensor output,
    float[] ropeFreqFactors) {}
