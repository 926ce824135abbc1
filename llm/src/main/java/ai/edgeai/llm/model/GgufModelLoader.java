package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufTensorInfo;
import ai.edgeai.llm.gguf.ModelFormatException;
import ai.edgeai.llm.model.Architecture.Activation;
import ai.edgeai.llm.model.Architecture.RopeLayout;
import ai.edgeai.llm.tensor.Tensor;
import ai.edgeai.llm.tensor.UnsupportedTensorTypeException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the hyperparameters and weights of a decoder GGUF into {@link LlamaModel}'s shared layout.
 * Per architecture it reads the keys and tensors llama.cpp reads and applies llama.cpp's defaults
 * where a key is absent, so a file that llama.cpp runs gives the same forward pass here.
 */
final class GgufModelLoader {

  /** The {@code general.architecture} values this loader accepts. */
  static final List<String> SUPPORTED = List.of("llama", "mistral", "qwen2", "qwen3", "phi3", "gemma2", "gemma3");

  private final GgufFile gguf;
  private final GgufMetadata md;
  private final Path file;
  private final String arch;
  private final String p;

  private GgufModelLoader(GgufFile gguf) {
    this.gguf = gguf;
    this.md = gguf.metadata();
    this.file = gguf.path();
    if (!md.contains("general.architecture")) throw new ModelFormatException(file, "missing required metadata key 'general.architecture'");
    this.arch = md.getString("general.architecture");
    if (!SUPPORTED.contains(arch)) {
      throw new ModelFormatException(file, "general.architecture '" + arch + "' is not supported (supported: " + String.join(", ", SUPPORTED) + ")");
    }
    this.p = arch + ".";
  }

  static LlamaModel load(GgufFile gguf, int threads) {
    return new GgufModelLoader(gguf).build(threads);
  }

  private boolean gemma() {
    return arch.equals("gemma2") || arch.equals("gemma3");
  }

  private LlamaModel build(int threads) {
    int dim = md.getInt(p + "embedding_length");
    int layers = md.getInt(p + "block_count");
    int heads = md.getInt(p + "attention.head_count");
    int kvHeads = md.getInt(p + "attention.head_count_kv", heads);
    int hidden = md.getInt(p + "feed_forward_length");
    int ctx = md.getInt(p + "context_length");
    if (heads <= 0) throw new ModelFormatException(file, "metadata key '" + p + "attention.head_count' must be positive, got " + heads);
    int headSize = md.getInt(p + "attention.key_length", dim / heads);
    if (md.contains(p + "attention.value_length") && md.getInt(p + "attention.value_length") != headSize) {
      throw new ModelFormatException(file, "metadata key '" + p + "attention.value_length' = " + md.getInt(p + "attention.value_length")
          + " differs from the key length " + headSize + " (not supported)");
    }
    int ropeDims = md.getInt(p + "rope.dimension_count", headSize);
    float theta = md.getFloat(p + "rope.freq_base", 10000f);
    float eps = md.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f);
    float ropeScale = 1f;
    String scaling = md.string(p + "rope.scaling.type").orElse("linear"); // llama.cpp's default
    switch (scaling) {
      case "none" -> {}
      case "linear", "longrope" -> {
        // LongRoPE (Phi-3) is carried by the rope_factors tensors; a factor, if any, is linear.
        if (md.contains(p + "rope.scaling.factor")) ropeScale = md.getFloat(p + "rope.scaling.factor");
        else if (md.contains(p + "rope.scale_linear")) ropeScale = md.getFloat(p + "rope.scale_linear");
        if (ropeScale == 0f) ropeScale = 1f; // llama.cpp: 0 means unset
      }
      default -> throw new ModelFormatException(file, "metadata key '" + p + "rope.scaling.type' = '" + scaling + "' is not supported (supported: none, linear, longrope)");
    }

    GgufTensorInfo embInfo = gguf.requireTensor("token_embd.weight");
    int vocab = md.contains(p + "vocab_size") ? md.getInt(p + "vocab_size") : (int) embInfo.dim(1);
    LlamaConfig config;
    try {
      config = new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, ctx, headSize, ropeDims, theta, ropeScale, eps);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, "invalid hyperparameters: " + e.getMessage());
    }
    Architecture architecture;
    try {
      architecture = architecture(config);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, "invalid hyperparameters: " + e.getMessage());
    }

    int qDim = config.qDim();
    int kvDim = config.kvDim();
    Tensor[] wq = new Tensor[layers], wk = new Tensor[layers], wv = new Tensor[layers], wo = new Tensor[layers];
    Tensor[] w1 = new Tensor[layers], w2 = new Tensor[layers], w3 = new Tensor[layers];
    float[][] attnNorm = new float[layers][], ffnNorm = new float[layers][];
    boolean qkNorm = arch.equals("qwen3") || arch.equals("gemma3");
    float[][] qBias = new float[layers][], kBias = new float[layers][], vBias = new float[layers][];
    float[][] qNorm = qkNorm ? new float[layers][] : null, kNorm = qkNorm ? new float[layers][] : null;
    float[][] postAttn = gemma() ? new float[layers][] : null, postFfn = gemma() ? new float[layers][] : null;
    boolean anyBias = false;
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      attnNorm[l] = vector(b + "attn_norm.weight", dim);
      if (gguf.tensor(b + "attn_qkv.weight").isPresent()) {
        // Fused Q‖K‖V (Phi-3; llama.cpp accepts it for every architecture): row ranges of one matrix.
        Tensor[] parts = split(b + "attn_qkv.weight", dim, qDim, kvDim, kvDim);
        wq[l] = parts[0];
        wk[l] = parts[1];
        wv[l] = parts[2];
        if (gguf.tensor(b + "attn_qkv.bias").isPresent()) {
          float[] bias = vector(b + "attn_qkv.bias", qDim + 2 * kvDim);
          qBias[l] = Arrays.copyOfRange(bias, 0, qDim);
          kBias[l] = Arrays.copyOfRange(bias, qDim, qDim + kvDim);
          vBias[l] = Arrays.copyOfRange(bias, qDim + kvDim, qDim + 2 * kvDim);
        }
      } else {
        wq[l] = matrix(b + "attn_q.weight", qDim, dim);
        wk[l] = matrix(b + "attn_k.weight", kvDim, dim);
        wv[l] = matrix(b + "attn_v.weight", kvDim, dim);
        qBias[l] = optionalVector(b + "attn_q.bias", qDim);
        kBias[l] = optionalVector(b + "attn_k.bias", kvDim);
        vBias[l] = optionalVector(b + "attn_v.bias", kvDim);
      }
      anyBias |= qBias[l] != null || kBias[l] != null || vBias[l] != null;
      wo[l] = matrix(b + "attn_output.weight", dim, qDim);
      if (qkNorm) {
        qNorm[l] = vector(b + "attn_q_norm.weight", headSize);
        kNorm[l] = vector(b + "attn_k_norm.weight", headSize);
      }
      if (gemma()) postAttn[l] = vector(b + "post_attention_norm.weight", dim);
      ffnNorm[l] = vector(b + "ffn_norm.weight", dim);
      if (arch.equals("phi3")) {
        // Phi-3 stores gate‖up as one ffn_up of 2·hidden rows and has no ffn_gate.
        Tensor[] parts = split(b + "ffn_up.weight", dim, hidden, hidden);
        w1[l] = parts[0];
        w3[l] = parts[1];
      } else {
        w1[l] = matrix(b + "ffn_gate.weight", hidden, dim);
        w3[l] = matrix(b + "ffn_up.weight", hidden, dim);
      }
      w2[l] = matrix(b + "ffn_down.weight", dim, hidden);
      if (gemma()) postFfn[l] = vector(b + "post_ffw_norm.weight", dim);
    }
    Tensor emb = matrix("token_embd.weight", vocab, dim);
    float[] outNorm = vector("output_norm.weight", dim);
    // Gemma 2 always ties the output to the embedding (llama.cpp ignores an output tensor there).
    boolean ownOutput = !arch.equals("gemma2") && gguf.tensor("output.weight").isPresent();
    Tensor output = ownOutput ? matrix("output.weight", vocab, dim) : emb;
    float[] outputBias = arch.equals("qwen2") || arch.equals("phi3") ? optionalVector("output.bias", vocab) : null;
    float[] ropeFreqs = optionalVector("rope_freqs.weight", ropeDims / 2);
    float[] ropeShort = arch.equals("phi3") ? optionalVector("rope_factors_short.weight", ropeDims / 2) : null;
    float[] ropeLong = arch.equals("phi3") ? optionalVector("rope_factors_long.weight", ropeDims / 2) : null;
    LlamaWeights w = new LlamaWeights(emb, attnNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, outNorm, output, ropeFreqs);
    ExtraWeights extra = new ExtraWeights(anyBias ? qBias : null, anyBias ? kBias : null, anyBias ? vBias : null, qNorm, kNorm,
        postAttn, postFfn, ropeShort, ropeLong, outputBias);
    return new LlamaModel(file, LlamaModel.ModelSource.GGUF, config, w, architecture, extra, gguf, gguf.mapping(), threads);
  }

  /** The architecture's hooks, with llama.cpp's defaults for absent keys. */
  private Architecture architecture(LlamaConfig c) {
    int layers = c.layers();
    float invSqrtHead = Architecture.defaultAttentionScale(c);
    float attnFactor = md.getFloat(p + "rope.scaling.attn_factor", 1f);
    int origCtx = md.getInt(p + "rope.scaling.original_context_length", c.contextLength());
    return switch (arch) {
      case "llama", "mistral" -> new Architecture(arch, RopeLayout.NORM, Activation.SILU, 1f, invSqrtHead, false, 0f, 0f, 0, null,
          c.ropeTheta(), c.ropeScale(), attnFactor, origCtx);
      case "qwen2", "qwen3", "phi3" -> new Architecture(arch, RopeLayout.NEOX, Activation.SILU, 1f, invSqrtHead, arch.equals("phi3"), 0f, 0f, 0, null,
          c.ropeTheta(), c.ropeScale(), attnFactor, origCtx);
      case "gemma2" -> {
        // Gemma 2 always has sliding-window layers: window 4096, every other layer, unless the file says otherwise.
        int window = md.getInt(p + "attention.sliding_window", 4096);
        int pattern = md.getInt(p + "attention.sliding_window_pattern", 2);
        yield new Architecture(arch, RopeLayout.NEOX, Activation.GELU_TANH, (float) Math.sqrt(c.dim()), gemmaQueryScale(c, 46), true,
            md.getFloat(p + "attn_logit_softcapping", 50f), md.getFloat(p + "final_logit_softcapping", 30f),
            window, slidingLayers(layers, pattern, window), md.getFloat(p + "rope.freq_base_swa", c.ropeTheta()), c.ropeScale(),
            attnFactor, origCtx);
      }
      case "gemma3" -> {
        // Sliding layers only when the file gives a window; local layers use base 10000 and no scaling.
        int window = md.getInt(p + "attention.sliding_window", 0);
        int pattern = md.getInt(p + "attention.sliding_window_pattern", 6);
        yield new Architecture(arch, RopeLayout.NEOX, Activation.GELU_TANH, (float) Math.sqrt(c.dim()), gemmaQueryScale(c, 62), true,
            0f, md.getFloat(p + "final_logit_softcapping", 0f), window, window > 0 ? slidingLayers(layers, pattern, window) : null,
            md.getFloat(p + "rope.freq_base_swa", 10000f), 1f, attnFactor, origCtx);
      }
      default -> throw new IllegalStateException(arch);
    };
  }

  /**
   * Gemma scales queries by 1/sqrt(query_pre_attn_scalar), which GGUF does not carry; like llama.cpp,
   * use dim/heads for the 27B shape (recognised by its layer count) and the head size otherwise.
   */
  private static float gemmaQueryScale(LlamaConfig c, int layersOf27b) {
    int scalar = c.layers() == layersOf27b ? c.dim() / c.heads() : c.headSize();
    return 1.0f / (float) Math.sqrt(scalar);
  }

  /** llama.cpp's pattern n: in each group of n layers the first n-1 slide, the last is global (0: all slide). */
  private boolean[] slidingLayers(int layers, int pattern, int window) {
    if (pattern < 0) throw new ModelFormatException(file, "metadata key '" + p + "attention.sliding_window_pattern' must be >= 0, got " + pattern);
    if (window < 0) throw new ModelFormatException(file, "metadata key '" + p + "attention.sliding_window' must be >= 0, got " + window);
    boolean[] s = new boolean[layers];
    for (int l = 0; l < layers; l++) s[l] = pattern == 0 || l % pattern < pattern - 1;
    return s;
  }

  private Tensor matrix(String name, long rows, int cols) {
    GgufTensorInfo info = gguf.requireTensor(name);
    if (info.nDims() != 2 || info.dim(0) != cols || info.dim(1) != rows) {
      throw new ModelFormatException(file, "tensor '" + name + "' has shape " + Arrays.toString(info.dims()) + ", expected [" + cols + ", " + rows + "]");
    }
    try {
      return new Tensor(name, info.type(), rows, cols, gguf.tensorData(info));
    } catch (UnsupportedTensorTypeException e) {
      throw new ModelFormatException(file, e.getMessage());
    }
  }

  /** Row ranges of a fused matrix, one view per part, in order. */
  private Tensor[] split(String name, int cols, int... rows) {
    long total = 0;
    for (int r : rows) total += r;
    Tensor whole = matrix(name, total, cols);
    Tensor[] parts = new Tensor[rows.length];
    long row = 0;
    for (int i = 0; i < rows.length; i++) {
      var data = whole.data().asSlice(row * whole.rowBytes(), rows[i] * whole.rowBytes());
      parts[i] = new Tensor(name + "[" + row + ".." + (row + rows[i]) + ")", whole.type(), rows[i], cols, data);
      row += rows[i];
    }
    return parts;
  }

  private float[] vector(String name, int n) {
    GgufTensorInfo info = gguf.requireTensor(name);
    if (info.elementCount() != n) {
      throw new ModelFormatException(file, "tensor '" + name + "' has " + info.elementCount() + " elements, expected " + n);
    }
    try {
      return new Tensor(name, info.type(), 1, n, gguf.tensorData(info)).toFloatArray();
    } catch (UnsupportedTensorTypeException | IllegalArgumentException e) {
      throw new ModelFormatException(file, e.getMessage());
    }
  }

  private float[] optionalVector(String name, int n) {
    return gguf.tensor(name).isPresent() ? vector(name, n) : null;
  }
}
