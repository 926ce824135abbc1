package ai.edgeai.llm.model;

import ai.edgeai.llm.kernel.WorkerPool;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Q8Activations;
import ai.edgeai.llm.tensor.Tensor;

/** Matrix × vector over the worker pool; reuses one task object so dispatch allocates nothing. */
final class MatVec implements WorkerPool.RangeTask {
  private static final long PARALLEL_MIN_ELEMENTS = 1 << 15;
  private final WorkerPool pool;
  private final Q8Activations q8;
  private final float[] rounded;
  boolean ggmlRounding = true;
  private Tensor w;
  private float[] x;
  private float[] out;
  private boolean useQ8;

  MatVec(WorkerPool pool, int maxInput) {
    this.pool = pool;
    this.q8 = new Q8Activations(maxInput);
    this.rounded = new float[maxInput];
  }

  void run(Tensor w, float[] x, float[] out) {
    int rows = (int) w.rows();
    int n = w.cols();
    boolean q = ggmlRounding && w.supportsQ8Activations();
    if (q) {
      q8.quantize(x, n);
    } else if (ggmlRounding && (w.type() == GgmlType.F16)) {
      for (int i = 0; i < n; i++) rounded[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
      x = rounded;
    }
    this.w = w;
    this.x = x;
    this.out = out;
    this.useQ8 = q;
    if (w.elementCount() < PARALLEL_MIN_ELEMENTS || pool.threads() == 1) {
      run(0, rows);
    } else {
      pool.parallelFor(rows, this);
    }
    this.w = null;
    this.x = null;
    this.out = null;
  }

  @Override
  public void run(int from, int to) {
    Tensor w = this.w;
    float[] x = this.x;
    float[] out = this.out;
    if (useQ8) {
      for (int i = from; i < to; i++) out[i] = w.dotQ8(i, q8);
    } else {
      for (int i = from; i < to; i++) out[i] = w.dot(i, x, 0);
    }
  }
}
