package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufTensorInfo;
import ai.edgeai.llm.gguf.ModelFormatException;
import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.WorkerPool;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Q8Activations;
import ai.edgeai.llm.tensor.Tensor;
import ai.edgeai.llm.tensor.UnsupportedTensorTypeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Llama-family decoder (Llama 2/3/3.1/3.2, TinyLlama, SmolLM, Mistral-style) over memory-mapped
 * weights. The forward pass follows llama2.c's run.c operation for operation (RMSNorm, RoPE in the
 * NORM layout on adjacent pairs, grouped-query attention, SwiGLU), in plain float32 with sequential
 * sums, so F32 weights reproduce run.c's logits.
 *
 * <p>Thread-safety: one model can serve several {@link InferenceState}s, but calls to
 * {@link #forward} on one model are serialized by its worker pool.
 */
public final class LlamaModel implements AutoCloseable {

  private final Path path;
  private final ModelSource source;
  private final LlamaConfig config;
  private final LlamaWeights weights;
  private final AutoCloseable resource;
  private final WorkerPool pool;
  private final MatVec matVec;

  /** Where the weights came from. */
  public enum ModelSource {
    GGUF,
    LLAMA2C
  }

  LlamaModel(Path path, ModelSource source, LlamaConfig config, LlamaWeights weights, AutoCloseable resource, int threads) {
    this.path = path;
    this.source = source;
    this.config = Objects.requireNonNull(config);
    this.weights = Objects.requireNonNull(weights);
    this.resource = resource;
    this.pool = new WorkerPool(threads);
    this.matVec = new MatVec(pool, Math.max(Math.max(config.dim(), config.hiddenDim()), config.qDim()), PREFILL_BATCH);
  }

  /** Loads a GGUF or llama2.c checkpoint, recognised by its first bytes, using all available cores. */
  public static LlamaModel load(Path path) throws IOException {
    return load(path, Runtime.getRuntime().availableProcessors());
  }

  /** Loads a GGUF or llama2.c checkpoint, recognised by its first bytes. */
  public static LlamaModel load(Path path, int threads) throws IOException {
    if (ModelFiles.isGguf(path)) {
      GgufFile gguf = GgufFile.open(path);
      try {
        return fromGguf(gguf, threads);
      } catch (RuntimeException e) {
        gguf.close();
        throw e;
      }
    }
    return Llama2cCheckpoint.load(path, threads);
  }

  /** Builds a model over an open GGUF file; the model takes ownership and closes it. */
  public static LlamaModel fromGguf(GgufFile gguf, int threads) {
    GgufMetadata md = gguf.metadata();
    Path file = gguf.path();
    String arch = md.getString("general.architecture");
    if (!arch.equals("llama") && !arch.equals("mistral")) {
      throw new ModelFormatException(file, "general.architecture '" + arch + "' is not supported by the llama model (supported: llama, mistral)");
    }
    String p = arch + ".";
    int dim = md.getInt(p + "embedding_length");
    int layers = md.getInt(p + "block_count");
    int heads = md.getInt(p + "attention.head_count");
    int kvHeads = md.getInt(p + "attention.head_count_kv", heads);
    int hidden = md.getInt(p + "feed_forward_length");
    int ctx = md.getInt(p + "context_length");
    if (heads <= 0) throw new ModelFormatException(file, "metadata key '" + p + "attention.head_count' must be positive, got " + heads);
    int headSize = md.getInt(p + "attention.key_length", dim / heads);
    int ropeDims = md.getInt(p + "rope.dimension_count", headSize);
    float theta = md.getFloat(p + "rope.freq_base", 10000f);
    float eps = md.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f);
    float ropeScale = 1f;
    String scaling = md.string(p + "rope.scaling.type").orElse("none");
    switch (scaling) {
      case "none" -> {}
      case "linear" -> ropeScale = md.getFloat(p + "rope.scaling.factor", 1f);
      default -> throw new ModelFormatException(file, "metadata key '" + p + "rope.scaling.type' = '" + scaling + "' is not supported (supported: none, linear)");
    }
    if (md.contains(p + "rope.scale_linear")) ropeScale = md.getFloat(p + "rope.scale_linear");

    GgufTensorInfo embInfo = gguf.requireTensor("token_embd.weight");
    int vocab = md.contains(p + "vocab_size") ? md.getInt(p + "vocab_size") : (int) embInfo.dim(1);
    LlamaConfig config;
    try {
      config = new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, ctx, headSize, ropeDims, theta, ropeScale, eps);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, "invalid hyperparameters: " + e.getMessage());
    }
    TensorLoader t = new TensorLoader(gguf);
    int qDim = config.qDim();
    int kvDim = config.kvDim();
    Tensor[] wq = new Tensor[layers], wk = new Tensor[layers], wv = new Tensor[layers], wo = new Tensor[layers];
    Tensor[] w1 = new Tensor[layers], w2 = new Tensor[layers], w3 = new Tensor[layers];
    float[][] attnNorm = new float[layers][], ffnNorm = new float[layers][];
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      attnNorm[l] = t.vector(b + "attn_norm.weight", dim);
      wq[l] = t.matrix(b + "attn_q.weight", qDim, dim);
      wk[l] = t.matrix(b + "attn_k.weight", kvDim, dim);
      wv[l] = t.matrix(b + "attn_v.weight", kvDim, dim);
      wo[l] = t.matrix(b + "attn_output.weight", dim, qDim);
      ffnNorm[l] = t.vector(b + "ffn_norm.weight", dim);
      w1[l] = t.matrix(b + "ffn_gate.weight", hidden, dim);
      w2[l] = t.matrix(b + "ffn_down.weight", dim, hidden);
      w3[l] = t.matrix(b + "ffn_up.weight", hidden, dim);
    }
    Tensor emb = t.matrix("token_embd.weight", vocab, dim);
    float[] outNorm = t.vector("output_norm.weight", dim);
    Tensor output = gguf.tensor("output.weight").isPresent() ? t.matrix("output.weight", vocab, dim) : emb;
    float[] ropeFreqs = gguf.tensor("rope_freqs.weight").isPresent() ? t.vector("rope_freqs.weight", ropeDims / 2) : null;
    LlamaWeights w = new LlamaWeights(emb, attnNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, outNorm, output, ropeFreqs);
    return new LlamaModel(file, ModelSource.GGUF, config, w, gguf, threads);
  }

  /** Checks shapes and wraps GGUF tensors. */
  private static final class TensorLoader {
    private final GgufFile gguf;

    TensorLoader(GgufFile gguf) {
      this.gguf = gguf;
    }

    Tensor matrix(String name, long rows, int cols) {
      GgufTensorInfo info = gguf.requireTensor(name);
      if (info.nDims() != 2 || info.dim(0) != cols || info.dim(1) != rows) {
        throw new ModelFormatException(gguf.path(), "tensor '" + name + "' has shape " + java.util.Arrays.toString(info.dims()) + ", expected [" + cols + ", " + rows + "]");
      }
      try {
        return new Tensor(name, info.type(), rows, cols, gguf.tensorData(info));
      } catch (UnsupportedTensorTypeException e) {
        throw new ModelFormatException(gguf.path(), e.getMessage());
      }
    }

    float[] vector(String name, int n) {
      GgufTensorInfo info = gguf.requireTensor(name);
      if (info.elementCount() != n) {
        throw new ModelFormatException(gguf.path(), "tensor '" + name + "' has " + info.elementCount() + " elements, expected " + n);
      }
      try {
        return new Tensor(name, info.type(), 1, n, gguf.tensorData(info)).toFloatArray();
      } catch (UnsupportedTensorTypeException | IllegalArgumentException e) {
        throw new ModelFormatException(gguf.path(), e.getMessage());
      }
    }
  }

  public Path path() {
    return path;
  }

  public ModelSource source() {
    return source;
  }

  public LlamaConfig config() {
    return config;
  }

  public LlamaWeights weights() {
    return weights;
  }

  public int threads() {
    return pool.threads();
  }

  /**
   * Numerics of llama.cpp's CPU backend (on by default) or of run.c (off). On: matrix products
   * round their input activations as ggml does (Q8_0 blocks for Q8_0/Q4_0 weights, with integer dot
   * products accumulated in ggml's AVX2 lane order; F16 for F16 weights), RMSNorm sums squares in
   * double, and softmax multiplies by 1/sqrt(head_size) and by 1/sum. Off: plain float activations
   * and run.c's exact operation order. F32 models give run.c's logits within ~2e-5 either way.
   */
  public void setGgmlActivationRounding(boolean on) {
    matVec.ggmlRounding = on;
  }

  public boolean ggmlActivationRounding() {
    return matVec.ggmlRounding;
  }

  /** A fresh state with the file's context length and an F32 KV cache. */
  public InferenceState newState() {
    return newState(config.contextLength(), false);
  }

  /** A fresh state; {@code f16Cache} stores the KV cache in IEEE half precision. */
  public InferenceState newState(int contextLength, boolean f16Cache) {
    return new InferenceState(config, contextLength, f16Cache);
  }

  /**
   * Runs one token at the state's next position and returns the logits (the state's own buffer).
   *
   * @throws IllegalStateException when the context is full
   */
  public float[] forward(InferenceState s, int token) {
    if (s.position >= s.contextLength) {
      throw new IllegalStateException("context is full (" + s.contextLength + " positions)");
    }
    if (token < 0 || token >= config.vocabSize()) {
      throw new IllegalArgumentException("token id " + token + " outside the vocabulary (0.." + (config.vocabSize() - 1) + ")");
    }
    int pos = s.position;
    LlamaConfig c = config;
    LlamaWeights w = weights;
    int dim = c.dim();
    int kvDim = c.kvDim();
    int headSize = c.headSize();
    int kvMul = c.kvMul();
    float[] x = s.x;

    w.tokenEmbedding().dequantizeRow(token, x, 0);
    ropeTables(s, pos);

    for (int l = 0; l < c.layers(); l++) {
      rmsnorm(s.xb, x, w.attnNorm()[l], dim, c.rmsEps(), matVec.ggmlRounding);
      matVec.run(w.wq()[l], s.xb, s.q);
      matVec.run(w.wk()[l], s.xb, s.k);
      matVec.run(w.wv()[l], s.xb, s.v);
      rope(s, s.q, c.qDim());
      rope(s, s.k, kvDim);
      int loff = pos * kvDim;
      if (s.f16Cache) {
        for (int i = 0; i < kvDim; i++) {
          s.keyCache16[l][loff + i] = Float.floatToFloat16(s.k[i]);
          s.valueCache16[l][loff + i] = Float.floatToFloat16(s.v[i]);
        }
      } else {
        System.arraycopy(s.k, 0, s.keyCache[l], loff, kvDim);
        System.arraycopy(s.v, 0, s.valueCache[l], loff, kvDim);
      }
      attention(s, l, pos, headSize, kvDim, kvMul);
      matVec.run(w.wo()[l], s.xb, s.xb2);
      for (int i = 0; i < dim; i++) x[i] += s.xb2[i];

      rmsnorm(s.xb, x, w.ffnNorm()[l], dim, c.rmsEps(), matVec.ggmlRounding);
      matVec.run(w.w1()[l], s.xb, s.hb);
      matVec.run(w.w3()[l], s.xb, s.hb2);
      for (int i = 0; i < c.hiddenDim(); i++) {
        float val = s.hb[i];
        val *= (1.0f / (1.0f + (float) Math.exp(-val))); // SiLU, as run.c: expf in float
        val *= s.hb2[i];
        s.hb[i] = val;
      }
      matVec.run(w.w2()[l], s.hb, s.xb);
      for (int i = 0; i < dim; i++) x[i] += s.xb[i];
    }
    rmsnorm(x, x, w.outputNorm(), dim, c.rmsEps(), matVec.ggmlRounding);
    matVec.run(w.output(), x, s.logits);
    s.position = pos + 1;
    return s.logits;
  }

  /** Prompt tokens processed together by {@link #forwardBatch}: each weight block is reused this many times. */
  static final int PREFILL_BATCH = 32;

  private Batch batch;

  /** Activations of one prefill batch, row-major [token][element]; allocated on first use. */
  private static final class Batch {
    final float[] x, xb, q, k, v, att, hb, hb2, ropeCos, ropeSin;

    Batch(LlamaConfig c, int n) {
      x = new float[n * c.dim()];
      xb = new float[n * Math.max(c.dim(), c.qDim())];
      q = new float[n * c.qDim()];
      k = new float[n * c.kvDim()];
      v = new float[n * c.kvDim()];
      att = new float[n * c.qDim()];
      hb = new float[n * c.hiddenDim()];
      hb2 = new float[n * c.hiddenDim()];
      ropeCos = new float[n * (c.ropeDims() / 2)];
      ropeSin = new float[n * (c.ropeDims() / 2)];
    }
  }

  /**
   * Runs {@code tokens} at the state's next positions, {@link #PREFILL_BATCH} at a time, and returns
   * the logits of the last one (the state's own buffer). Matrix products run once per batch with
   * each weight block reused for every token; attention is causal (token t sees positions up to its
   * own). The logits equal those of calling {@link #forward} token by token.
   *
   * @throws IllegalStateException when the tokens do not fit the context
   */
  public synchronized float[] forwardBatch(InferenceState s, int[] tokens) {
    if (tokens.length == 0) throw new IllegalArgumentException("no tokens to evaluate");
    if (s.position + tokens.length > s.contextLength) {
      throw new IllegalStateException("context is full (" + s.contextLength + " positions; " + s.position + " used, " + tokens.length + " more requested)");
    }
    for (int token : tokens) {
      if (token < 0 || token >= config.vocabSize()) {
        throw new IllegalArgumentException("token id " + token + " outside the vocabulary (0.." + (config.vocabSize() - 1) + ")");
      }
    }
    if (batch == null) batch = new Batch(config, PREFILL_BATCH);
    for (int start = 0; start < tokens.length; start += PREFILL_BATCH) {
      int n = Math.min(PREFILL_BATCH, tokens.length - start);
      forwardChunk(s, tokens, start, n, start + n == tokens.length);
    }
    return s.logits;
  }

  private void forwardChunk(InferenceState s, int[] tokens, int start, int n, boolean logits) {
    LlamaConfig c = config;
    LlamaWeights w = weights;
    Batch b = batch;
    int dim = c.dim(), qDim = c.qDim(), kvDim = c.kvDim(), hidden = c.hiddenDim(), pairs = c.ropeDims() / 2;
    int pos0 = s.position;
    boolean ggml = matVec.ggmlRounding;
    for (int t = 0; t < n; t++) {
      w.tokenEmbedding().dequantizeRow(tokens[start + t], b.x, t * dim);
      ropeTables(s, pos0 + t);
      System.arraycopy(s.ropeCos, 0, b.ropeCos, t * pairs, pairs);
      System.arraycopy(s.ropeSin, 0, b.ropeSin, t * pairs, pairs);
    }
    for (int l = 0; l < c.layers(); l++) {
      for (int t = 0; t < n; t++) rmsnormAt(b.xb, t * dim, b.x, t * dim, w.attnNorm()[l], dim, c.rmsEps(), ggml);
      matVec.run(w.wq()[l], b.xb, dim, n, b.q, qDim);
      matVec.run(w.wk()[l], b.xb, dim, n, b.k, kvDim);
      matVec.run(w.wv()[l], b.xb, dim, n, b.v, kvDim);
      // Token by token, in order: each one's keys and values enter the cache before its attention
      // runs, so token t attends to the cache up to its own position (the causal mask).
      for (int t = 0; t < n; t++) {
        int pos = pos0 + t;
        System.arraycopy(b.ropeCos, t * pairs, s.ropeCos, 0, pairs);
        System.arraycopy(b.ropeSin, t * pairs, s.ropeSin, 0, pairs);
        System.arraycopy(b.q, t * qDim, s.q, 0, qDim);
        System.arraycopy(b.k, t * kvDim, s.k, 0, kvDim);
        System.arraycopy(b.v, t * kvDim, s.v, 0, kvDim);
        rope(s, s.q, qDim);
        rope(s, s.k, kvDim);
        int loff = pos * kvDim;
        if (s.f16Cache) {
          for (int i = 0; i < kvDim; i++) {
            s.keyCache16[l][loff + i] = Float.floatToFloat16(s.k[i]);
            s.valueCache16[l][loff + i] = Float.floatToFloat16(s.v[i]);
          }
        } else {
          System.arraycopy(s.k, 0, s.keyCache[l], loff, kvDim);
          System.arraycopy(s.v, 0, s.valueCache[l], loff, kvDim);
        }
        attention(s, l, pos, c.headSize(), kvDim, c.kvMul());
        System.arraycopy(s.xb, 0, b.att, t * qDim, qDim);
      }
      matVec.run(w.wo()[l], b.att, qDim, n, b.xb, dim);
      for (int i = 0; i < n * dim; i++) b.x[i] += b.xb[i];

      for (int t = 0; t < n; t++) rmsnormAt(b.xb, t * dim, b.x, t * dim, w.ffnNorm()[l], dim, c.rmsEps(), ggml);
      matVec.run(w.w1()[l], b.xb, dim, n, b.hb, hidden);
      matVec.run(w.w3()[l], b.xb, dim, n, b.hb2, hidden);
      for (int i = 0; i < n * hidden; i++) {
        float val = b.hb[i];
        val *= (1.0f / (1.0f + (float) Math.exp(-val))); // SiLU, as forward
        val *= b.hb2[i];
        b.hb[i] = val;
      }
      matVec.run(w.w2()[l], b.hb, hidden, n, b.xb, dim);
      for (int i = 0; i < n * dim; i++) b.x[i] += b.xb[i];
    }
    s.position = pos0 + n;
    if (logits) {
      float[] x = s.x;
      System.arraycopy(b.x, (n - 1) * dim, x, 0, dim);
      rmsnorm(x, x, w.outputNorm(), dim, c.rmsEps(), ggml);
      matVec.run(w.output(), x, s.logits);
    }
  }

  /** {@link #rmsnorm} on a row of a batch. */
  private static void rmsnormAt(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps, boolean ggml) {
    float ss;
    if (ggml) {
      double sum = 0;
      for (int j = 0; j < n; j++) sum += (double) (x[xOff + j] * x[xOff + j]);
      float mean = (float) (sum / n);
      ss = 1.0f / (float) Math.sqrt(mean + eps);
    } else {
      ss = 0f;
      for (int j = 0; j < n; j++) ss += x[xOff + j] * x[xOff + j];
      ss /= n;
      ss += eps;
      ss = 1.0f / (float) Math.sqrt(ss);
    }
    for (int j = 0; j < n; j++) out[outOff + j] = weight[j] * (ss * x[xOff + j]);
  }

  /** cos/sin of pos·freq for each rotated pair, computed once per position for all heads and layers. */
  private void ropeTables(InferenceState s, int pos) {
    int pairs = config.ropeDims() / 2;
    float p = pos / config.ropeScale();
    if (config.ropeScale() == 1f) p = pos;
    float[] factors = weights.ropeFreqFactors();
    for (int i = 0; i < pairs; i++) {
      // run.c: freq = 1.0f / powf(theta, head_dim / (float)head_size) with head_dim = 2i
      float freq = 1.0f / (float) Math.pow(config.ropeTheta(), (float) (2 * i) / (float) config.ropeDims());
      if (factors != null) freq = freq / factors[i];
      float val = p * freq;
      s.ropeCos[i] = (float) Math.cos(val);
      s.ropeSin[i] = (float) Math.sin(val);
    }
  }

  /** Rotates adjacent pairs (2i, 2i+1) of every head: llama.cpp's NORM layout, as run.c does. */
  private void rope(InferenceState s, float[] vec, int n) {
    int headSize = config.headSize();
    int pairs = config.ropeDims() / 2;
    for (int h = 0; h < n; h += headSize) {
      for (int i = 0; i < pairs; i++) {
        float fcr = s.ropeCos[i];
        float fci = s.ropeSin[i];
        int j = h + 2 * i;
        float v0 = vec[j];
        float v1 = vec[j + 1];
        vec[j] = v0 * fcr - v1 * fci;
        vec[j + 1] = v0 * fci + v1 * fcr;
      }
    }
  }

  private void attention(InferenceState s, int l, int pos, int headSize, int kvDim, int kvMul) {
    float scale = (float) Math.sqrt(headSize);
    float invScale = 1.0f / scale; // ggml folds 1/sqrt(head_dim) into soft_max as a multiply
    boolean ggml = matVec.ggmlRounding;
    int ctx = s.contextLength;
    for (int h = 0; h < config.heads(); h++) {
      int qo = h * headSize;
      int ao = h * ctx;
      int ko = (h / kvMul) * headSize;
      for (int t = 0; t <= pos; t++) {
        int base = t * kvDim + ko;
        float score = 0f;
        if (s.f16Cache) {
          short[] kc = s.keyCache16[l];
          for (int i = 0; i < headSize; i++) score += s.q[qo + i] * Float.float16ToFloat(kc[base + i]);
        } else {
          float[] kc = s.keyCache[l];
          if (ggml) score = Kernels.dot(s.q, qo, kc, base, headSize);
          else for (int i = 0; i < headSize; i++) score += s.q[qo + i] * kc[base + i];
        }
        s.att[ao + t] = ggml ? score * invScale : score / scale;
      }
      if (ggml) softmaxGgml(s.att, ao, pos + 1);
      else softmax(s.att, ao, pos + 1);
      java.util.Arrays.fill(s.xb, qo, qo + headSize, 0f);
      for (int t = 0; t <= pos; t++) {
        int base = t * kvDim + ko;
        float a = s.att[ao + t];
        if (s.f16Cache) {
          short[] vc = s.valueCache16[l];
          for (int i = 0; i < headSize; i++) s.xb[qo + i] += a * Float.float16ToFloat(vc[base + i]);
        } else {
          Kernels.axpy(a, s.valueCache[l], base, s.xb, qo, headSize); // multiply, then add: run.c's rounding
        }
      }
    }
  }

  /**
   * RMSNorm, then weight * (scale * x). run.c sums the squares in float; ggml sums them in double
   * and rounds the mean to float.
   */
  static void rmsnorm(float[] out, float[] x, float[] weight, int n, float eps, boolean ggml) {
    float ss;
    if (ggml) {
      double sum = 0;
      for (int j = 0; j < n; j++) sum += (double) (x[j] * x[j]);
      float mean = (float) (sum / n);
      ss = 1.0f / (float) Math.sqrt(mean + eps);
    } else {
      ss = 0f;
      for (int j = 0; j < n; j++) ss += x[j] * x[j];
      ss /= n;
      ss += eps;
      ss = 1.0f / (float) Math.sqrt(ss);
    }
    for (int j = 0; j < n; j++) out[j] = weight[j] * (ss * x[j]);
  }

  /** run.c's softmax over x[off .. off+n), in place. */
  static void softmax(float[] x, int off, int n) {
    float max = x[off];
    for (int i = 1; i < n; i++) if (x[off + i] > max) max = x[off + i];
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      float e = (float) Math.exp(x[off + i] - max);
      x[off + i] = e;
      sum += e;
    }
    for (int i = 0; i < n; i++) x[off + i] /= sum;
  }

  /** ggml's soft_max: exp(x - max) summed in double, then multiplied by (float) (1 / sum). */
  static void softmaxGgml(float[] x, int off, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float e = (float) Math.exp(x[off + i] - max);
      x[off + i] = e;
      sum += e;
    }
    float inv = (float) (1.0 / sum);
    for (int i = 0; i < n; i++) x[off + i] *= inv;
  }

  /** Total weight bytes read per token (matrices plus norms): the figure that bounds decode speed. */
  public long weightBytesPerToken() {
    LlamaWeights w = weights;
    long b = w.output().rowBytes() * w.output().rows();
    for (int l = 0; l < config.layers(); l++) {
      for (Tensor t : new Tensor[] {w.wq()[l], w.wk()[l], w.wv()[l], w.wo()[l], w.w1()[l], w.w2()[l], w.w3()[l]}) {
        b += t.rowBytes() * t.rows();
      }
    }
    return b;
  }

  /** Number of parameters (matrix elements and norm weights; tied output counted once). */
  public long parameterCount() {
    LlamaWeights w = weights;
    long n = w.tokenEmbedding().elementCount() + w.outputNorm().length;
    if (w.output() != w.tokenEmbedding()) n += w.output().elementCount();
    for (int l = 0; l < config.layers(); l++) {
      n += w.attnNorm()[l].length + w.ffnNorm()[l].length;
      for (Tensor t : new Tensor[] {w.wq()[l], w.wk()[l], w.wv()[l], w.wo()[l], w.w1()[l], w.w2()[l], w.w3()[l]}) {
        n += t.elementCount();
      }
    }
    return n;
  }

  @Override
  public void close() {
    pool.close();
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
