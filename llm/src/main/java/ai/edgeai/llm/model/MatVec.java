package ai.edgeai.llm.model;

import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.PackedGemm;
import ai.edgeai.llm.kernel.Q4Interleaved;
import ai.edgeai.llm.kernel.Q4Repacked;
import ai.edgeai.llm.kernel.Q8Interleaved;
import ai.edgeai.llm.kernel.Q8Batch;
import ai.edgeai.llm.kernel.WorkerPool;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;

/**
 * Matrix × vector (decode) and matrix × matrix (prefill batches) over the worker pool; reuses one
 * task object so dispatch allocates nothing. In ggml mode Q8_0/Q4_0 weights meet Q8_0-quantized
 * activations (bit-identical to {@link Tensor#dotQ8}); other types use float SIMD kernels, F32
 * the scalar reference. With {@link #ggmlOrder}, Q4_0 matrices llama.cpp repacks use the order of
 * {@link Q4Repacked} and F32 weights ggml_vec_dot_f32's order ({@link GgmlNumerics#dot}). Batches of two or more rows in
 * ggml mode (except F32) go to the register-tiled {@link Kernels#gemm} (the same Q8_0/F16-rounded
 * activations, as floats; float summation order of its own) unless {@link #exactBatches} asks for
 * the decode kernels' exact order. run.c mode keeps the scalar reference ({@link Tensor#dot}),
 * run.c's order.
 */
final class MatVec implements WorkerPool.RangeTask {
  private static final long PARALLEL_MIN_ELEMENTS = 1 << 15;
  private final WorkerPool pool;
  private final int maxInput;
  private final int maxRows;
  private final Q8Batch q8;
  private float[] rounded; // allocated on first use (the GEMM and F16 paths; never for repacked matrices)
  private final ThreadLocal<float[]> scratch;
  boolean ggmlRounding = true;
  /** When false (the default), batches of two or more activation rows in ggml mode run on {@link Kernels#gemm}. */
  boolean exactBatches = false;
  /** llama.cpp's exact float order: repacked Q4_0 order, ggml_vec_dot_f32 order for F32, no GEMM. */
  boolean ggmlOrder = false;
  // The call in flight (read by the pool's threads in run(from, to)).
  private Tensor w;
  private float[] x;
  private int xStride;
  private int rows;
  private float[] out;
  private int outStride;
  private boolean useQ8;
  private boolean useGemm;
  private boolean useLanes;
  private boolean useRepacked;
  private boolean useInterleaved;
  private boolean usePacked;
  /** Activations packed for {@link PackedGemm} (allocated on first use), and whether they are q8's current rows. */
  private float[] packedX;
  private boolean packedCurrent;
  private final ThreadLocal<float[]> panel;
  private final Packer packer = new Packer();
  private final Quantizer quantizer = new Quantizer();
  // What q8 holds: rows [0, q8Rows) of q8Source (stride q8Stride, q8Cols columns); null when unknown.
  private float[] q8Source;
  private int q8Stride;
  private int q8Rows;
  private int q8Cols;
  /** Which of q8's layouts the last fill wrote: {@link #PACKED_ONLY} < {@link #REPACKED} < {@link #ALL_LAYOUTS}. */
  private int q8Layouts;
  /** Quants and scales: what {@link PackedGemm#packActivations} reads. */
  private static final int PACKED_ONLY = 0;
  /** Also the activation pairs and Q4_0 offsets of the repacked decode and tile kernels. */
  private static final int REPACKED = 1;
  /** Also the GGUF-layout kernels' planes and pairs. */
  private static final int ALL_LAYOUTS = 2;

  MatVec(WorkerPool pool, int maxInput, int maxRows) {
    this.pool = pool;
    this.maxInput = maxInput;
    int panelFloats = PackedGemm.panelFloats((maxInput + 31) / 32 * 32);
    this.panel = ThreadLocal.withInitial(() -> new float[panelFloats]);
    this.maxRows = maxRows;
    this.q8 = new Q8Batch(maxRows, (maxInput + 31) / 32 * 32);
    this.scratch = ThreadLocal.withInitial(() -> new float[Kernels.GEMM_ROWS * maxInput]);
  }

  /** out = w · x. */
  void run(Tensor w, float[] x, float[] out) {
    run(w, x, w.cols(), 1, out, (int) w.rows(), false);
  }

  /** out = w · x, where x is unchanged since the previous call (its Q8_0 form is reused when that call made one). */
  void runSameInput(Tensor w, float[] x, float[] out) {
    run(w, x, w.cols(), 1, out, (int) w.rows(), true);
  }

  /** out[t*outStride ..] = w · x[t*xStride ..] for t in [0, rows). */
  void run(Tensor w, float[] x, int xStride, int rows, float[] out, int outStride) {
    run(w, x, xStride, rows, out, outStride, false);
  }

  /**
   * As {@link #run(Tensor, float[], int, int, float[], int)}; {@code sameInput} promises that
   * {@code x} has not changed since the previous call, so that call's Q8_0 activations (Q/K/V and
   * gate/up share their input) are reused instead of quantized again.
   */
  void run(Tensor w, float[] x, int xStride, int rows, float[] out, int outStride, boolean sameInput) {
    if (rows > maxRows) throw new IllegalArgumentException(rows + " rows exceed the batch size " + maxRows);
    int n = w.cols();
    boolean interleaved = w.interleaved() != null && ggmlRounding;
    // Prompt batches on repacked Q4_0/Q8_0: the packed float GEMM, unless the decode kernels' bits are asked for.
    boolean packed = interleaved && rows > 1 && !exactBatches && !ggmlOrder && PackedGemm.applies();
    boolean gemm = !interleaved && rows > 1 && ggmlRounding && !exactBatches && !ggmlOrder && w.type() != GgmlType.F32;
    boolean q = !gemm && !interleaved && ggmlRounding && Kernels.supportsQ8(w.type());
    // Exact batches of Q8_0/Q4_0 rows: tokens in the vector lanes, the decode kernels' bits (and,
    // for the Q4_0 matrices llama.cpp repacks, in exact order, the repacked kernel's bits).
    boolean repacked = q && ggmlOrder && w.type() == GgmlType.Q4_0 && Q4Repacked.applies(w.rows());
    boolean lanes = q && rows > 1;
    // Only a call that fills q8 leaves it reusable: any other clears the record, so that a later
    // sameInput call after it cannot pick up activations from an earlier input.
    if (!interleaved && !q) q8Source = null;
    if (interleaved) {
      quantize(x, xStride, rows, n, sameInput, packed ? PACKED_ONLY : REPACKED);
      if (packed) pack(rows, n);
    } else if (gemm && Kernels.supportsQ8(w.type())) {
      // The activations ggml's kernels would see (Q8_0-rounded), as floats for the GEMM.
      if (rounded == null) rounded = new float[maxInput * maxRows];
      for (int t = 0; t < rows; t++) Q8Batch.roundTrip(x, t * xStride, n, rounded, t * n);
      x = rounded;
      xStride = n;
    } else if (q) {
      quantize(x, xStride, rows, n, sameInput, ALL_LAYOUTS);
      if (lanes) q8.transposeTokens(Kernels.tokenLanes(), rows, n);
    } else if (ggmlRounding && w.type() == GgmlType.F16) {
      if (rounded == null) rounded = new float[maxInput * maxRows];
      for (int t = 0; t < rows; t++) {
        for (int i = 0; i < n; i++) rounded[t * n + i] = Float.float16ToFloat(Float.floatToFloat16(x[t * xStride + i]));
      }
      x = rounded;
      xStride = n;
    }
    this.w = w;
    this.x = x;
    this.xStride = xStride;
    this.rows = rows;
    this.out = out;
    this.outStride = outStride;
    this.useQ8 = q;
    this.useGemm = gemm;
    this.useLanes = lanes;
    this.useRepacked = repacked;
    this.useInterleaved = interleaved;
    this.usePacked = packed;
    int wRows = (int) w.rows();
    if (w.elementCount() * rows < PARALLEL_MIN_ELEMENTS || pool.threads() == 1) {
      run(0, wRows);
    } else {
      // The packed GEMM works in panels of two 16-row groups: chunks of whole pairs keep single-group
      // panels (a branch of the kernel that C2 otherwise compiled as a trap) to a matrix's last group.
      pool.parallelFor(wRows, packed ? PackedGemm.ROWS : WorkerPool.CHUNK_ALIGN, this);
    }
    this.w = null;
    this.x = null;
    this.out = null;
  }

  /**
   * Fills {@link #q8} with rows [0, rows) of x, unless {@code sameInput} and the previous fill
   * came from the same array, stride and shape. Several rows are split over the pool.
   */
  private void quantize(float[] x, int xStride, int rows, int n, boolean sameInput, int layouts) {
    if (sameInput && q8Source == x && q8Stride == xStride && q8Rows == rows && q8Cols == n && q8Layouts >= layouts) return;
    q8Source = null; // invalid while being overwritten (and if quantizing throws)
    packedCurrent = false;
    if (rows == 1 || pool.threads() == 1) {
      for (int t = 0; t < rows; t++) {
        quantizeRow(layouts, t, x, t * xStride, n);
      }
    } else {
      // Here, before the pool's threads quantize rows: the layouts' arrays are allocated on first use.
      if (layouts == ALL_LAYOUTS) q8.prepareAllLayouts();
      if (layouts >= REPACKED) q8.reserveNibbleRows(rows);
      quantizer.x = x;
      quantizer.xStride = xStride;
      quantizer.n = n;
      quantizer.layouts = layouts;
      pool.parallelFor(rows, quantizer);
      quantizer.x = null;
    }
    q8Layouts = layouts;
    q8Source = x;
    q8Stride = xStride;
    q8Rows = rows;
    q8Cols = n;
  }

  private void quantizeRow(int layouts, int row, float[] x, int xOff, int n) {
    switch (layouts) {
      case PACKED_ONLY -> q8.quantizeForPacked(row, x, xOff, n);
      case REPACKED -> q8.quantizeForRepacked(row, x, xOff, n);
      default -> q8.quantize(row, x, xOff, n);
    }
  }

  /** Lays q8's rows [0, rows) out for {@link PackedGemm}, columns split over the pool. */
  private void pack(int rows, int n) {
    if (packedCurrent) return; // Q/K/V and gate/up share their input: packed once
    if (packedX == null) packedX = new float[PackedGemm.paddedTokens(maxRows) * ((maxInput + 31) / 32 * 32)];
    packer.tokens = rows;
    packer.cols = n;
    if (pool.threads() == 1) packer.run(0, n / 32);
    else pool.parallelFor(n / 32, packer);
    packedCurrent = true;
  }

  /** Packs column blocks [from, to) of the activations (one task object, reused). */
  private final class Packer implements WorkerPool.RangeTask {
    int tokens;
    int cols;

    @Override
    public void run(int from, int to) {
      PackedGemm.packActivations(q8, tokens, cols, 32 * from, 32 * to, packedX);
    }
  }

  /** Quantizes activation rows [from, to) (one task object, reused: dispatch allocates nothing). */
  private final class Quantizer implements WorkerPool.RangeTask {
    float[] x;
    int xStride;
    int n;
    int layouts;

    @Override
    public void run(int from, int to) {
      for (int t = from; t < to; t++) {
        quantizeRow(layouts, t, x, t * xStride, n);
      }
    }
  }

  @Override
  public void run(int from, int to) {
    Tensor w = this.w;
    float[] x = this.x;
    float[] out = this.out;
    if (usePacked && w.type() == GgmlType.Q8_0) {
      Q8Interleaved.gemm(w.interleaved(), w.cols(), from, to, packedX, rows, out, outStride, panel.get());
    } else if (usePacked) {
      Q4Interleaved.gemm(w.interleaved(), w.cols(), from, to, packedX, rows, out, outStride, panel.get());
    } else if (useInterleaved && w.type() == GgmlType.Q8_0) {
      Q8Interleaved.matmul(w.interleaved(), w.cols(), from, to, q8, 0, rows, out, outStride);
    } else if (useInterleaved) {
      Q4Interleaved.matmul(w.interleaved(), w.cols(), from, to, q8, 0, rows, out, outStride, scratch.get());
    } else if (useGemm) {
      Kernels.gemm(w.type(), w.data(), w.rowBytes(), w.cols(), from, to, x, xStride, rows, out, outStride, scratch.get());
    } else if (useLanes && useRepacked) {
      Kernels.matmulQ4RepackedLanes(w.data(), w.rowBytes(), w.cols(), from, to, q8, rows, out, outStride, scratch.get());
    } else if (useLanes) {
      Kernels.matmulQ8Lanes(w.type(), w.data(), w.rowBytes(), w.cols(), from, to, q8, rows, out, outStride, scratch.get());
    } else if (useRepacked) {
      // llama.cpp repacks such Q4_0 matrices at load and uses another summation order.
      Q4Repacked.matmul(w.data(), w.rowBytes(), w.cols(), from, to, q8, 0, rows, out, outStride);
    } else if (useQ8) {
      Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), w.cols(), from, to, q8, 0, rows, out, outStride);
    } else if (ggmlRounding && ggmlOrder && w.type() == GgmlType.F32) {
      // ggml_vec_dot_f32's order (AVX-512 build), emulated lane by lane.
      float[] row = scratch.get();
      int n = w.cols();
      for (int i = from; i < to; i++) {
        w.dequantizeRow(i, row, 0);
        for (int t = 0; t < rows; t++) out[t * outStride + i] = GgmlNumerics.dot(row, 0, x, t * xStride, n);
      }
    } else if (ggmlRounding && w.type() != GgmlType.F32) {
      Kernels.matmulF(w.type(), w.data(), w.rowBytes(), w.cols(), from, to, x, xStride, rows, out, outStride, scratch.get());
    } else {
      for (int t = 0; t < rows; t++) {
        for (int i = from; i < to; i++) out[t * outStride + i] = w.dot(i, x, t * xStride);
      }
    }
  }
}
