package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.PackedGemm;
import ai.edgeai.llm.kernel.Q4Interleaved;
import ai.edgeai.llm.kernel.Q8Interleaved;
import ai.edgeai.llm.kernel.Q8Batch;
import ai.edgeai.llm.kernel.WorkerPool;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Q8Activations;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Llama-family decoder (Llama 2/3/3.1/3.2, TinyLlama, SmolLM, Mistral-style) over memory-mapped
 * weights. The forward pass follows llama2.c's run.c operation for operation (RMSNorm, RoPE in the
 * NORM layout on adjacent pairs, grouped-query attention, SwiGLU), in plain float32 with sequential
 * sums, so F32 weights reproduce run.c's logits.
 *
 * <p>Thread-safety: one model can serve several {@link InferenceState}s; calls to {@link #forward}
 * and {@link #forwardBatch} on one model are serialized (each uses the model's worker pool and
 * scratch task objects).
 */
public final class LlamaModel implements AutoCloseable {

  private final Path path;
  private final ModelSource source;
  private final LlamaConfig config;
  private final LlamaWeights weights;
  private final Architecture architecture;
  private final ExtraWeights extra;
  private final AutoCloseable resource;
  private final WorkerPool pool;
  private final MatVec matVec;
  /** Off-heap copies of the matrices (null when none), freed on {@link #close()}. */
  private final java.lang.foreign.Arena resident;
  private final String weightLayout;

  /** Where the weights came from. */
  public enum ModelSource {
    GGUF,
    LLAMA2C
  }

  LlamaModel(Path path, ModelSource source, LlamaConfig config, LlamaWeights weights, AutoCloseable resource,
      java.lang.foreign.MemorySegment fileBytes, int threads) {
    this(path, source, config, weights, Architecture.llama("llama", config), ExtraWeights.NONE, resource, fileBytes, threads);
  }

  /**
   * {@code resource} (the file mapping) passes to the model, closed with it or when this
   * constructor fails; {@code fileBytes} is the whole mapping of {@code path} (null when the
   * weights are not a file's), from which {@link ResidentWeights} locates tensors in the file.
   */
  LlamaModel(Path path, ModelSource source, LlamaConfig config, LlamaWeights weights, Architecture architecture, ExtraWeights extra,
      AutoCloseable resource, java.lang.foreign.MemorySegment fileBytes, int threads) {
    try {
      this.prefillBatch = prefillBatch(System.getProperty(PREFILL_BATCH_PROPERTY));
    } catch (IllegalArgumentException e) {
      closeAfterFailure(resource, e);
      throw e;
    }
    this.path = path;
    this.source = source;
    this.config = Objects.requireNonNull(config);
    this.architecture = Objects.requireNonNull(architecture);
    this.extra = Objects.requireNonNull(extra);
    this.resource = resource;
    this.pool = new WorkerPool(threads);
    // Choose the kernels now (the Vector API probe takes ~0.1-0.2 s once per JVM), so loading pays
    // for it rather than the first request; the repacking below depends on the choice.
    Kernels.simd();
    ResidentWeights.Result layout;
    try {
      layout = ResidentWeights.place(Objects.requireNonNull(weights), pool, path, fileBytes);
    } catch (RuntimeException | Error e) {
      pool.close();
      closeAfterFailure(resource, e);
      throw e;
    }
    this.weights = layout.weights();
    this.resident = layout.arena();
    if (resident != null && fileBytes != null && fileBytes.isMapped()) {
      // The kernels read the copies now. The pages of the mapping touched so far (mostly parsing the
      // metadata: ~13 MB for a Llama 3 vocabulary) would stay in this process's resident set for
      // its lifetime; unloading drops them from it (the page cache keeps them), and whatever is read
      // later (an untied embedding's rows, a metadata string) faults back in.
      fileBytes.unload();
    }
    this.weightLayout = layout.describe();
    this.matVec = new MatVec(pool, Math.max(Math.max(config.dim(), config.hiddenDim()), config.qDim()), prefillBatch);
  }

  /** Closes what the caller handed over (the file mapping) when construction fails with {@code e}. */
  private static void closeAfterFailure(AutoCloseable resource, Throwable e) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
    }
  }

  /**
   * How the weights are held: memory-mapped in their file layout, or how many matrices were
   * repacked for the kernels or copied into memory at load (see {@code -Dedgeai.llm.repack} and
   * {@code -Dedgeai.llm.mmap}), with the memory and time that took.
   */
  public String weightLayout() {
    return weightLayout;
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

  /**
   * Builds a model over an open GGUF file; the model takes ownership and closes it. Architectures:
   * llama, mistral, qwen2, qwen3, phi3, gemma2, gemma3 (see {@link Architecture}).
   */
  public static LlamaModel fromGguf(GgufFile gguf, int threads) {
    return GgufModelLoader.load(gguf, threads);
  }

  /** The GGUF {@code general.architecture} values {@link #load} accepts. */
  public static java.util.List<String> supportedArchitectures() {
    return GgufModelLoader.SUPPORTED;
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

  /** The family-specific parts of the forward pass. */
  public Architecture architecture() {
    return architecture;
  }

  /** Weights only some families carry (biases, Q/K norms, post-norms, RoPE factors). */
  public ExtraWeights extraWeights() {
    return extra;
  }

  /** Prompt tokens a batched prefill processes together (128 with 512-bit kernels, else 32, unless {@link #PREFILL_BATCH_PROPERTY} says otherwise). */
  public int prefillBatch() {
    return prefillBatch;
  }

  public int threads() {
    return pool.threads();
  }

  /**
   * Numerics of llama.cpp's CPU backend (on by default) or of run.c (off). On: matrix products
   * round their input activations as ggml does (Q8_0 blocks for Q8_0/Q4_0 weights, with integer dot
   * products accumulated in ggml's AVX2 lane order; F16 for F16 weights), RMSNorm sums squares in
   * double, and softmax multiplies by 1/sqrt(head_size) and by 1/sum. Off: plain float activations
   * and run.c's exact operation order. F32 models give run.c's logits within ~3e-5 either way.
   * {@link #setGgmlExactOrder} goes further, to llama.cpp's float order everywhere.
   */
  public synchronized void setGgmlActivationRounding(boolean on) {
    matVec.ggmlRounding = on;
    if (!on) matVec.ggmlOrder = false;
  }

  public boolean ggmlActivationRounding() {
    return matVec.ggmlRounding;
  }

  /**
   * llama.cpp's exact float order (off by default; implies {@link #setGgmlActivationRounding}
   * on): F32 dot products, RoPE, softmax, attention and SiLU replay the reference build's
   * operation order ({@link GgmlNumerics}), Q4_0 matrices whose row count is a multiple of 8 use
   * the repacked kernel's order ({@code Q4Repacked}), and prompt batches run token by token. Logits
   * then match that llama.cpp build bit for bit (the parity tests run this way). Slower: attention
   * and the repacked Q4_0 order run without the tiled SIMD kernels.
   */
  public synchronized void setGgmlExactOrder(boolean on) {
    if (on) matVec.ggmlRounding = true;
    matVec.ggmlOrder = on;
  }

  public boolean ggmlExactOrder() {
    return matVec.ggmlOrder;
  }

  /**
   * Exact prefill: when on, prompt batches use the decode kernels, so a batched prompt gives
   * bit-for-bit the logits of feeding it token by token (slower). Off by default: batches run on a
   * register-tiled matrix product whose float summation order differs, which moves logits by float
   * rounding (llama.cpp's own batched kernels differ from its decode kernels the same way).
   */
  public synchronized void setExactPrefill(boolean on) {
    matVec.exactBatches = on;
  }

  public boolean exactPrefill() {
    return matVec.exactBatches;
  }

  /**
   * Compiles the engine before the first request. Until C2 has compiled them, the Vector API
   * kernels run as slow, allocating Java code, which a cold first prompt pays for (about 1.5 s on
   * the 1B shape). This runs each weight type's prefill and decode kernels a few thousand times on
   * the first block (32 or 256 columns) of eight rows of the model's own tensors (a small
   * fraction of the work of one token), then a two-token prompt and one decode step on a scratch
   * state for everything between the products. It moves that cost from the first request to
   * start-up rather than removing it (about 1 s on the 1B shape, 2 cores), so {@code edgeai serve}
   * runs it before it accepts requests and {@code bench llm --jit-warmup} measures it. Returns the
   * milliseconds it took.
   */
  public synchronized double warmUp() {
    long t = System.nanoTime();
    if (Kernels.simd() && matVec.ggmlRounding) {
      java.util.Set<GgmlType> seen = java.util.EnumSet.noneOf(GgmlType.class);
      Tensor[] candidates = {weights.wq()[0], weights.wk()[0], weights.wv()[0], weights.wo()[0],
          weights.w1()[0], weights.w2()[0], weights.w3()[0], weights.output()};
      for (Tensor w : candidates) {
        if (w.type() != GgmlType.F32 && w.rows() >= 8 && w.cols() >= Math.max(32, w.type().blockSize()) && seen.add(w.type())) warmUpKernels(w);
      }
    }
    int n = Math.min(2, Math.max(1, config.contextLength() - 1));
    InferenceState s = newState(n + 1, false);
    int[] tokens = new int[n];
    for (int i = 0; i < n; i++) tokens[i] = (1 + 7 * i) % config.vocabSize();
    forwardBatch(s, tokens);
    if (s.position < s.contextLength) forward(s, tokens[0]);
    return (System.nanoTime() - t) / 1e6;
  }

  /** Kernel calls per weight type in {@link #warmUp}: past C2's invocation thresholds. */
  private static final int WARM_UP_CALLS = 3000;

  private static void warmUpKernels(Tensor w) {
    // 13 tokens: one whole 12-token tile of the packed GEMM and one partial, as prompts have
    // (with fewer, C2 compiled the tiles' later stores as traps that real prompts then hit).
    int cols = Math.max(32, w.type().blockSize()), rows = 8, tokens = 13;
    float[] x = new float[tokens * cols];
    for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
    float[] out = new float[tokens * rows];
    float[] panel = new float[Kernels.GEMM_ROWS * cols];
    ai.edgeai.llm.kernel.Q8Batch q8 = new ai.edgeai.llm.kernel.Q8Batch(tokens, cols);
    for (int t = 0; t < tokens; t++) q8.quantize(t, x, t * cols, cols);
    if (w.interleaved() != null) {
      // The repacked kernels: row groups over all their columns, decode and prompt tiles.
      // Three groups: a pair and a single one, the two panel shapes of the packed GEMM.
      int full = w.cols(), rows2 = (int) Math.min(w.rows(), 3 * Q4Interleaved.ROWS);
      float[] xs = new float[tokens * full];
      for (int i = 0; i < xs.length; i++) xs[i] = (float) Math.sin(i * 0.37);
      Q8Batch q8s = new Q8Batch(tokens, full);
      for (int t = 0; t < tokens; t++) q8s.quantize(t, xs, t * full, full);
      float[] outs = new float[tokens * rows2];
      float[] scratch = new float[full];
      boolean q4 = w.type() == GgmlType.Q4_0;
      // Prompt batches: the packed GEMM where it runs (512-bit kernels), else Q4_0's tiles.
      boolean packed = PackedGemm.applies();
      int tp = PackedGemm.paddedTokens(tokens);
      float[] xt = packed ? new float[tp * full] : null;
      float[] panelFull = packed ? new float[PackedGemm.panelFloats(full)] : null;
      if (packed) PackedGemm.packActivations(q8s, tokens, full, 0, full, xt);
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        if (q4) Q4Interleaved.matmul(w.interleaved(), full, 0, rows2, q8s, 0, 1, outs, rows2, scratch);
        else Q8Interleaved.matmul(w.interleaved(), full, 0, rows2, q8s, 0, 1, outs, rows2);
        if (packed && q4) Q4Interleaved.gemm(w.interleaved(), full, 0, rows2, xt, tokens, outs, rows2, panelFull);
        else if (packed) Q8Interleaved.gemm(w.interleaved(), full, 0, rows2, xt, tokens, outs, rows2, panelFull);
        else if (q4) Q4Interleaved.matmul(w.interleaved(), full, 0, rows2, q8s, 0, tokens, outs, rows2, scratch);
      }
      // MatVec never gives a repacked matrix to the GGUF-layout kernels below: compiling them
      // too cost ~0.3 s of the warm-up on the 1B shape (2 cores).
      return;
    }
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      Kernels.gemm(w.type(), w.data(), w.rowBytes(), cols, 0, rows, x, cols, tokens, out, rows, panel);
      if (Kernels.supportsQ8(w.type())) {
        Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), cols, 0, rows, q8, 0, 1, out, rows);
      } else {
        Kernels.matmulF(w.type(), w.data(), w.rowBytes(), cols, 0, rows, x, cols, 1, out, rows, panel);
      }
    }
  }

  /** A fresh state with the file's context length and an F32 KV cache. */
  public InferenceState newState() {
    return newState(config.contextLength(), false);
  }

  /** A fresh state; {@code f16Cache} stores the KV cache in IEEE half precision. */
  public InferenceState newState(int contextLength, boolean f16Cache) {
    long kvBytes = 2L * config.layers() * contextLength * config.kvDim() * (f16Cache ? 2 : 4);
    Runtime rt = Runtime.getRuntime();
    long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (kvBytes > available) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "a KV cache for a context of %d positions needs %.2f GB, more than the %.2f GB of Java heap left; use a smaller context (--ctx-size)%s",
          contextLength, kvBytes / 1e9, available / 1e9, f16Cache ? "" : " or an F16 cache (--f16-kv)"));
    }
    return new InferenceState(config, contextLength, f16Cache);
  }

  /** Context used when none is asked for: what the file declares, at most {@value #DEFAULT_CONTEXT} (as llama.cpp and Ollama). */
  public int defaultContextLength() {
    return Math.min(config.contextLength(), DEFAULT_CONTEXT);
  }

  /** Upper bound of {@link #defaultContextLength()}: files declare up to 128K positions, whose KV cache would not fit a small device. */
  public static final int DEFAULT_CONTEXT = 4096;

  /**
   * Runs one token at the state's next position and returns the logits (the state's own buffer).
   *
   * @throws IllegalStateException when the context is full
   */
  public synchronized float[] forward(InferenceState s, int token) {
    if (s.position >= s.contextLength) {
      throw new IllegalStateException("context is full (" + s.contextLength + " positions)");
    }
    if (token < 0 || token >= config.vocabSize()) {
      throw new IllegalArgumentException("token id " + token + " outside the vocabulary (0.." + (config.vocabSize() - 1) + ")");
    }
    int pos = s.position;
    LlamaConfig c = config;
    LlamaWeights w = weights;
    Architecture a = architecture;
    ExtraWeights e = extra;
    boolean ggml = matVec.ggmlRounding;
    int dim = c.dim();
    int kvDim = c.kvDim();
    int headSize = c.headSize();
    int kvMul = c.kvMul();
    float[] x = s.x;

    w.tokenEmbedding().dequantizeRow(token, x, 0);
    if (a.embeddingScale() != 1f) {
      for (int i = 0; i < dim; i++) x[i] *= a.embeddingScale();
    }
    ropeTables(s, pos);

    for (int l = 0; l < c.layers(); l++) {
      rmsnorm(s.xb, x, w.attnNorm()[l], dim, c.rmsEps(), ggml);
      matVec.run(w.wq()[l], s.xb, s.q);
      matVec.runSameInput(w.wk()[l], s.xb, s.k);
      matVec.runSameInput(w.wv()[l], s.xb, s.v);
      if (e.qBias() != null) {
        addBias(s.q, e.qBias()[l]);
        addBias(s.k, e.kBias()[l]);
        addBias(s.v, e.vBias()[l]);
      }
      if (e.qNorm() != null) {
        for (int h = 0; h < c.qDim(); h += headSize) rmsnorm(s.q, h, e.qNorm()[l], headSize, c.rmsEps(), ggml);
        for (int h = 0; h < kvDim; h += headSize) rmsnorm(s.k, h, e.kNorm()[l], headSize, c.rmsEps(), ggml);
      }
      boolean sliding = a.isSliding(l);
      float[] cos = sliding ? s.ropeCosLocal : s.ropeCos;
      float[] sin = sliding ? s.ropeSinLocal : s.ropeSin;
      rope(s.q, c.qDim(), cos, sin);
      rope(s.k, kvDim, cos, sin);
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
      int first = sliding ? Math.max(0, pos - a.slidingWindow() + 1) : 0;
      attention(s, l, first, pos, headSize, kvDim, kvMul);
      matVec.run(w.wo()[l], s.xb, s.xb2);
      if (e.postAttnNorm() != null) rmsnorm(s.xb2, s.xb2, e.postAttnNorm()[l], dim, c.rmsEps(), ggml);
      addInto(x, s.xb2, dim);

      rmsnorm(s.xb, x, w.ffnNorm()[l], dim, c.rmsEps(), ggml);
      matVec.run(w.w1()[l], s.xb, s.hb);
      matVec.runSameInput(w.w3()[l], s.xb, s.hb2);
      if (a.activation() == Architecture.Activation.GELU_TANH) {
        for (int i = 0; i < c.hiddenDim(); i++) s.hb[i] = (ggml ? geluGgml(s.hb[i]) : gelu(s.hb[i])) * s.hb2[i];
      } else if (ggml && matVec.ggmlOrder) {
        GgmlNumerics.swiglu(s.hb, s.hb2, 0, c.hiddenDim());
      } else {
        swiglu(s.hb, s.hb2, c.hiddenDim());
      }
      matVec.run(w.w2()[l], s.hb, s.xb);
      if (e.postFfnNorm() != null) rmsnorm(s.xb, s.xb, e.postFfnNorm()[l], dim, c.rmsEps(), ggml);
      addInto(x, s.xb, dim);
    }
    rmsnorm(x, x, w.outputNorm(), dim, c.rmsEps(), ggml);
    matVec.run(w.output(), x, s.logits);
    if (e.outputBias() != null) addBias(s.logits, e.outputBias());
    if (a.finalSoftCap() > 0) softCap(s.logits, c.vocabSize(), a.finalSoftCap());
    s.position = pos + 1;
    return s.logits;
  }

  private static void addBias(float[] v, float[] bias) {
    for (int i = 0; i < bias.length; i++) v[i] += bias[i];
  }

  /**
   * System property that sets the prefill batch (1..512; read when a model is loaded): like llama.cpp's
   * {@code --ubatch-size}, a tuning knob for CPUs with large caches. With the packed GEMM (512-bit
   * kernels), which dequantizes every weight panel once per batch, the default is 128: on the
   * 2-vCPU EPYC (Zen 5) VM the 1B shape prefilled 128 tokens at 90 / 84 tok/s (Q4_0 / Q8_0) with
   * batches of 32, 101 / 97 with 64, 106 / 109 with 128 (docs/benchmarks.md). Elsewhere it stays
   * 32: on a Zen 4 VM (1 MB L2 per core, the tiled GEMM) 64 was only 7–8 % faster, and
   * smaller-cache CPUs (a Raspberry Pi's 512 KB) have not been measured.
   */
  public static final String PREFILL_BATCH_PROPERTY = "edgeai.llm.prefillBatch";

  /** Prompt tokens processed together by {@link #forwardBatch} unless the property says otherwise. */
  static final int DEFAULT_PREFILL_BATCH = PackedGemm.applies() ? 128 : 32;

  /** Prompt tokens processed together by {@link #forwardBatch}: each weight block is reused this many times. */
  private final int prefillBatch;

  /** The prefill batch from the property's value (null: {@link #DEFAULT_PREFILL_BATCH}). */
  static int prefillBatch(String value) {
    if (value == null) return DEFAULT_PREFILL_BATCH;
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFILL_BATCH_PROPERTY + " must be an integer from 1 to 512, got '" + value + "'");
    }
    if (n < 1 || n > 512) throw new IllegalArgumentException(PREFILL_BATCH_PROPERTY + " must be from 1 to 512, got " + n);
    return n;
  }

  private Batch batch;

  /** Activations of one prefill batch, row-major [token][element]; allocated on first use. */
  private static final class Batch {
    final float[] x, xb, q, k, v, att, hb, hb2, ropeCos, ropeSin, ropeCosLocal, ropeSinLocal;

    Batch(LlamaConfig c, int n) {
      int pairs = c.ropeDims() / 2;
      x = new float[n * c.dim()];
      xb = new float[n * Math.max(c.dim(), c.qDim())];
      q = new float[n * c.qDim()];
      k = new float[n * c.kvDim()];
      v = new float[n * c.kvDim()];
      att = new float[n * c.qDim()];
      hb = new float[n * c.hiddenDim()];
      hb2 = new float[n * c.hiddenDim()];
      ropeCos = new float[n * pairs];
      ropeSin = new float[n * pairs];
      ropeCosLocal = new float[n * pairs];
      ropeSinLocal = new float[n * pairs];
    }
  }

  /**
   * Runs {@code tokens} at the state's next positions, {@link #prefillBatch} at a time, and returns
   * the logits of the last one (the state's own buffer). Matrix products run once per batch with
   * each weight block reused for every token; everything between them (norms, biases, RoPE,
   * attention) runs token by token exactly as {@link #forward} does, and attention is causal (token
   * t sees positions up to its own). The logits equal those of calling {@link #forward} per token.
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
    if (batch == null) batch = new Batch(config, prefillBatch);
    for (int start = 0; start < tokens.length; start += prefillBatch) {
      int n = Math.min(prefillBatch, tokens.length - start);
      forwardChunk(s, tokens, start, n, start + n == tokens.length);
    }
    return s.logits;
  }

  private void forwardChunk(InferenceState s, int[] tokens, int start, int n, boolean logits) {
    LlamaConfig c = config;
    LlamaWeights w = weights;
    Architecture a = architecture;
    ExtraWeights e = extra;
    Batch b = batch;
    int dim = c.dim(), qDim = c.qDim(), kvDim = c.kvDim(), hidden = c.hiddenDim(), pairs = c.ropeDims() / 2;
    int headSize = c.headSize();
    int pos0 = s.position;
    boolean ggml = matVec.ggmlRounding;
    for (int t = 0; t < n; t++) {
      w.tokenEmbedding().dequantizeRow(tokens[start + t], b.x, t * dim);
      if (a.embeddingScale() != 1f) {
        for (int i = 0; i < dim; i++) b.x[t * dim + i] *= a.embeddingScale();
      }
      ropeTables(s, pos0 + t);
      System.arraycopy(s.ropeCos, 0, b.ropeCos, t * pairs, pairs);
      System.arraycopy(s.ropeSin, 0, b.ropeSin, t * pairs, pairs);
      System.arraycopy(s.ropeCosLocal, 0, b.ropeCosLocal, t * pairs, pairs);
      System.arraycopy(s.ropeSinLocal, 0, b.ropeSinLocal, t * pairs, pairs);
    }
    for (int l = 0; l < c.layers(); l++) {
      for (int t = 0; t < n; t++) rmsnormAt(b.xb, t * dim, b.x, t * dim, w.attnNorm()[l], dim, c.rmsEps(), ggml);
      matVec.run(w.wq()[l], b.xb, dim, n, b.q, qDim);
      matVec.run(w.wk()[l], b.xb, dim, n, b.k, kvDim, true);
      matVec.run(w.wv()[l], b.xb, dim, n, b.v, kvDim, true);
      boolean sliding = a.isSliding(l);
      // Token by token, in order: each one's keys and values enter the cache before its attention
      // runs, so token t attends to the cache up to its own position (the causal mask).
      for (int t = 0; t < n; t++) {
        int pos = pos0 + t;
        System.arraycopy(b.q, t * qDim, s.q, 0, qDim);
        System.arraycopy(b.k, t * kvDim, s.k, 0, kvDim);
        System.arraycopy(b.v, t * kvDim, s.v, 0, kvDim);
        if (e.qBias() != null) {
          addBias(s.q, e.qBias()[l]);
          addBias(s.k, e.kBias()[l]);
          addBias(s.v, e.vBias()[l]);
        }
        if (e.qNorm() != null) {
          for (int h = 0; h < qDim; h += headSize) rmsnorm(s.q, h, e.qNorm()[l], headSize, c.rmsEps(), ggml);
          for (int h = 0; h < kvDim; h += headSize) rmsnorm(s.k, h, e.kNorm()[l], headSize, c.rmsEps(), ggml);
        }
        float[] cos = sliding ? s.ropeCosLocal : s.ropeCos;
        float[] sin = sliding ? s.ropeSinLocal : s.ropeSin;
        System.arraycopy(sliding ? b.ropeCosLocal : b.ropeCos, t * pairs, cos, 0, pairs);
        System.arraycopy(sliding ? b.ropeSinLocal : b.ropeSin, t * pairs, sin, 0, pairs);
        rope(s.q, qDim, cos, sin);
        rope(s.k, kvDim, cos, sin);
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
        int first = sliding ? Math.max(0, pos - a.slidingWindow() + 1) : 0;
        attention(s, l, first, pos, headSize, kvDim, c.kvMul());
        System.arraycopy(s.xb, 0, b.att, t * qDim, qDim);
      }
      matVec.run(w.wo()[l], b.att, qDim, n, b.xb, dim);
      for (int t = 0; t < n; t++) {
        if (e.postAttnNorm() != null) rmsnormAt(b.xb, t * dim, b.xb, t * dim, e.postAttnNorm()[l], dim, c.rmsEps(), ggml);
      }
      addInto(b.x, b.xb, n * dim);

      for (int t = 0; t < n; t++) rmsnormAt(b.xb, t * dim, b.x, t * dim, w.ffnNorm()[l], dim, c.rmsEps(), ggml);
      matVec.run(w.w1()[l], b.xb, dim, n, b.hb, hidden);
      matVec.run(w.w3()[l], b.xb, dim, n, b.hb2, hidden, true);
      if (a.activation() == Architecture.Activation.GELU_TANH) {
        for (int i = 0; i < n * hidden; i++) b.hb[i] = (ggml ? geluGgml(b.hb[i]) : gelu(b.hb[i])) * b.hb2[i];
      } else if (ggml && matVec.ggmlOrder) {
        for (int t = 0; t < n; t++) GgmlNumerics.swiglu(b.hb, b.hb2, t * hidden, hidden);
      } else {
        swiglu(b.hb, b.hb2, n * hidden);
      }
      matVec.run(w.w2()[l], b.hb, hidden, n, b.xb, dim);
      for (int t = 0; t < n; t++) {
        if (e.postFfnNorm() != null) rmsnormAt(b.xb, t * dim, b.xb, t * dim, e.postFfnNorm()[l], dim, c.rmsEps(), ggml);
      }
      addInto(b.x, b.xb, n * dim);
    }
    s.position = pos0 + n;
    if (logits) {
      float[] x = s.x;
      System.arraycopy(b.x, (n - 1) * dim, x, 0, dim);
      rmsnorm(x, x, w.outputNorm(), dim, c.rmsEps(), ggml);
      matVec.run(w.output(), x, s.logits);
      if (e.outputBias() != null) addBias(s.logits, e.outputBias());
      if (a.finalSoftCap() > 0) softCap(s.logits, c.vocabSize(), a.finalSoftCap());
    }
  }

  /*
   * The element-wise loops of the forward passes are small methods of their own: the JIT compiles
   * them within the first layer, while the large forwardChunk/forward methods they would otherwise
   * sit in are compiled much later (C2 takes longest on them), which a cold first prompt pays for.
   */

  /** {@code hb[i] = silu(hb[i]) * up[i]}: SiLU as run.c (expf in float), then the up projection. */
  private static void swiglu(float[] hb, float[] up, int n) {
    for (int i = 0; i < n; i++) {
      float val = hb[i];
      val *= (1.0f / (1.0f + (float) Math.exp(-val)));
      val *= up[i];
      hb[i] = val;
    }
  }

  /** {@code x[i] += y[i]}: a residual connection. */
  private static void addInto(float[] x, float[] y, int n) {
    for (int i = 0; i < n; i++) x[i] += y[i];
  }

  /** {@link #rmsnorm} on a row of a batch (in place when out and x are the same row). */
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

  /** cap·tanh(v/cap) over v[0..n), as ggml: scale by 1/cap, tanh, scale by cap. */
  private static void softCap(float[] v, int n, float cap) {
    float inv = 1f / cap;
    for (int i = 0; i < n; i++) v[i] = cap * (float) Math.tanh(v[i] * inv);
  }

  /** GELU, tanh approximation (gelu_pytorch_tanh), in float as ggml_gelu_f32. */
  static float gelu(float x) {
    return 0.5f * x * (1.0f + (float) Math.tanh(0.79788456080286535587989211986876f * x * (1.0f + 0.044715f * x * x)));
  }

  /** ggml CPU's GELU: a table over F16 inputs holding F16 results, identity/zero beyond ±10. */
  static float geluGgml(float x) {
    if (x <= -10f) return 0f;
    if (x >= 10f) return x;
    float h = Float.float16ToFloat(Float.floatToFloat16(x));
    return Float.float16ToFloat(Float.floatToFloat16(gelu(h)));
  }

  /** cos/sin of pos·freq for each rotated pair, computed once per position for all heads and layers. */
  private void ropeTables(InferenceState s, int pos) {
    Architecture a = architecture;
    float[] factors = weights.ropeFreqFactors();
    if (factors == null && (extra.ropeFactorsLong() != null || extra.ropeFactorsShort() != null)) {
      // Phi-3 LongRoPE: llama.cpp picks the long factors when the context exceeds the original one.
      factors = s.contextLength > a.ropeOriginalContext() ? extra.ropeFactorsLong() : extra.ropeFactorsShort();
    }
    fillRope(s.ropeCos, s.ropeSin, pos, config.ropeTheta(), config.ropeScale(), factors, a.ropeAttnFactor());
    if (a.slidingWindow() > 0) fillRope(s.ropeCosLocal, s.ropeSinLocal, pos, a.ropeThetaLocal(), a.ropeScaleLocal(), null, a.ropeAttnFactor());
  }

  private void fillRope(float[] cos, float[] sin, int pos, float theta, float scale, float[] factors, float attnFactor) {
    int pairs = config.ropeDims() / 2;
    if (matVec.ggmlRounding && matVec.ggmlOrder) {
      GgmlNumerics.ropeCache(cos, sin, pairs, pos, theta, scale, factors, attnFactor);
      return;
    }
    float p = scale == 1f ? pos : pos / scale;
    for (int i = 0; i < pairs; i++) {
      // run.c: freq = 1.0f / powf(theta, head_dim / (float)head_size) with head_dim = 2i
      float freq = 1.0f / (float) Math.pow(theta, (float) (2 * i) / (float) config.ropeDims());
      if (factors != null) freq = freq / factors[i];
      float val = p * freq;
      cos[i] = (float) Math.cos(val);
      sin[i] = (float) Math.sin(val);
      if (attnFactor != 1f) {
        cos[i] *= attnFactor;
        sin[i] *= attnFactor;
      }
    }
  }

  /**
   * Rotates every head of {@code vec[0..n)}: adjacent pairs (2i, 2i+1) in llama.cpp's NORM layout
   * (as run.c does), pairs (i, i + ropeDims/2) in the NEOX layout. Dimensions past ropeDims stay.
   */
  private void rope(float[] vec, int n, float[] cos, float[] sin) {
    int headSize = config.headSize();
    int pairs = config.ropeDims() / 2;
    boolean neox = architecture.ropeLayout() == Architecture.RopeLayout.NEOX;
    boolean ggml = matVec.ggmlRounding && matVec.ggmlOrder;
    for (int h = 0; h < n; h += headSize) {
      for (int i = 0; i < pairs; i++) {
        float fcr = cos[i];
        float fci = sin[i];
        int j0 = neox ? h + i : h + 2 * i;
        int j1 = neox ? h + i + pairs : j0 + 1;
        float v0 = vec[j0];
        float v1 = vec[j1];
        if (ggml) {
          GgmlNumerics.rope(vec, j0, j1, fcr, fci);
        } else {
          vec[j0] = v0 * fcr - v1 * fci;
          vec[j1] = v0 * fci + v1 * fcr;
        }
      }
    }
  }

  /** Attention of every head over the cached positions first..pos (first > 0 in sliding-window layers). */
  private void attention(InferenceState s, int l, int first, int pos, int headSize, int kvDim, int kvMul) {
    float scale = (float) Math.sqrt(headSize);
    float invScale = architecture.attentionScale(); // ggml folds the scale into soft_max as a multiply
    float cap = architecture.attnSoftCap();
    // run.c divides by sqrt(head_size); other scales (Gemma) are multiplies as in ggml.
    boolean multiply = matVec.ggmlRounding || invScale != 1.0f / scale;
    boolean ggml = matVec.ggmlRounding;
    // ggml multiplies an F16 cache by F16 operands: q for the scores, the probabilities for the values.
    boolean roundF16 = ggml && s.f16Cache;
    boolean preScaled = ggml && architecture.scaleQueries();
    if (preScaled) {
      for (int i = 0; i < config.qDim(); i++) s.q[i] *= invScale;
    }
    if (roundF16) {
      for (int i = 0; i < config.qDim(); i++) s.q[i] = Float.float16ToFloat(Float.floatToFloat16(s.q[i]));
    }
    AttentionHeads task = attentionHeads;
    task.s = s;
    task.l = l;
    task.first = first;
    task.pos = pos;
    task.headSize = headSize;
    task.kvDim = kvDim;
    task.kvMul = kvMul;
    task.scale = scale;
    task.invScale = invScale;
    task.cap = cap;
    task.invCap = cap > 0 ? 1f / cap : 0f;
    task.multiply = multiply;
    task.ggml = ggml;
    task.roundF16 = roundF16;
    task.preScaled = preScaled;
    task.ggmlOrder = ggml && matVec.ggmlOrder && !s.f16Cache;
    // Heads are independent (each writes its own att and xb ranges): split over the pool when the
    // context makes it worth a dispatch (long prompts' later tokens, long chats), in chunks of whole
    // groups of heads sharing a KV head, so that each KV head is read by one thread. Heads dealt out
    // one by one made both threads read every KV head (decode at 1 056 positions on the 1B shape:
    // 22 against 27-29 tok/s in two alternating pairs of runs, on a noisy VM).
    int heads = config.heads();
    if ((long) heads * (pos + 1 - first) * headSize >= parallelAttentionMin && pool.threads() > 1) pool.parallelFor(heads, kvMul, task);
    else task.run(0, heads);
    task.s = null;
  }

  /**
   * Heads × positions × head size from which one token's attention is split over the pool: 64 Ki,
   * on the 1B shape (32 heads of 64) from the 32nd position on.
   */
  private volatile long parallelAttentionMin = 1 << 16;

  /** For tests: the size from which attention is split over the pool (0: always, Long.MAX_VALUE: never). */
  void setParallelAttentionMin(long min) {
    parallelAttentionMin = min;
  }

  private final AttentionHeads attentionHeads = new AttentionHeads();

  /** One token's attention over heads [from, to) (one task object, reused: dispatch allocates nothing). */
  private final class AttentionHeads implements WorkerPool.RangeTask {
    InferenceState s;
    int l, first, pos, headSize, kvDim, kvMul;
    float scale, invScale, cap, invCap;
    boolean multiply, ggml, roundF16, preScaled, ggmlOrder;

    @Override
    public void run(int from, int to) {
      for (int h = from; h < to; h++) {
        if (ggmlOrder) attendHeadGgml(h);
        else attendHead(h);
      }
    }

    private void attendHead(int h) {
      int ctx = s.contextLength;
      int qo = h * headSize;
      int ao = h * ctx;
      int ko = (h / kvMul) * headSize;
      for (int t = first; t <= pos; t++) {
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
        if (!preScaled) score = multiply ? score * invScale : score / scale;
        if (cap > 0) score = cap * (float) Math.tanh(score * invCap);
        s.att[ao + t] = score;
      }
      if (ggml) softmaxGgml(s.att, ao + first, pos + 1 - first);
      else softmax(s.att, ao + first, pos + 1 - first);
      java.util.Arrays.fill(s.xb, qo, qo + headSize, 0f);
      for (int t = first; t <= pos; t++) {
        int base = t * kvDim + ko;
        float a = roundF16 ? Float.float16ToFloat(Float.floatToFloat16(s.att[ao + t])) : s.att[ao + t];
        if (s.f16Cache) {
          short[] vc = s.valueCache16[l];
          for (int i = 0; i < headSize; i++) s.xb[qo + i] += a * Float.float16ToFloat(vc[base + i]);
        } else {
          Kernels.axpy(a, s.valueCache[l], base, s.xb, qo, headSize); // multiply, then add: run.c's rounding
        }
      }
    }

    /**
     * One head with an F32 cache in llama.cpp's order (non-flash path, one token): q·k by
     * ggml_vec_dot_f32, scale, ggml's soft_max over the KV cells padded to 32, and each output
     * element as ggml_vec_dot_f32 of the transposed value cache with the probabilities.
     */
    private void attendHeadGgml(int h) {
      int ctx = s.contextLength;
      float[] kc = s.keyCache[l];
      float[] vc = s.valueCache[l];
      int nKv = GgmlNumerics.paddedKv(pos + 1);
      int qo = h * headSize;
      int ao = h * ctx;
      int ko = (h / kvMul) * headSize;
      for (int t = first; t <= pos; t++) {
        float score = GgmlNumerics.dot(kc, t * kvDim + ko, s.q, qo, headSize);
        if (!preScaled) score *= invScale;
        if (cap > 0) score = cap * (float) Math.tanh(score * invCap);
        s.att[ao + t] = score;
      }
      GgmlNumerics.softmax(s.att, ao, first, pos);
      for (int i = 0; i < headSize; i++) {
        s.xb[qo + i] = GgmlNumerics.weightedValues(vc, ko + i, kvDim, s.att, ao, first, pos, nKv);
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

  /** RMSNorm of v[off .. off+n) in place with weight[0..n) (per-head Q/K norms). */
  static void rmsnorm(float[] v, int off, float[] weight, int n, float eps, boolean ggml) {
    float ss;
    if (ggml) {
      double sum = 0;
      for (int j = 0; j < n; j++) sum += (double) (v[off + j] * v[off + j]);
      ss = 1.0f / (float) Math.sqrt((float) (sum / n) + eps);
    } else {
      ss = 0f;
      for (int j = 0; j < n; j++) ss += v[off + j] * v[off + j];
      ss = 1.0f / (float) Math.sqrt(ss / n + eps);
    }
    for (int j = 0; j < n; j++) v[off + j] = weight[j] * (ss * v[off + j]);
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
    long n = w.tokenEmbedding().elementCount() + w.outputNorm().length + extra.elementCount();
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
    if (resident != null && resident.scope().isAlive()) resident.close();
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
