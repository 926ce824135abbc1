package ai.edgeai.llm.kernel;

import ai.edgeai.llm.model.InferenceState;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.tensor.Tensor;
import java.nio.file.Path;

/** Not a test: times one model's matrix products and a decode/prefill run. java ... KernelHarness model.gguf [threads] */
public final class KernelHarness {
  public static void main(String[] args) throws Exception {
    System.out.println(Kernels.describe());
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    try (LlamaModel m = LlamaModel.load(Path.of(args[0]), threads)) {
      Tensor w = m.weights().w1()[0];
      int cols = w.cols();
      float[] x = new float[cols * 32];
      java.util.SplittableRandom r = new java.util.SplittableRandom(1);
      for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
      Q8Batch q = new Q8Batch(32, cols);
      for (int t = 0; t < 32; t++) q.quantize(t, x, t * cols, cols);
      float[] out = new float[(int) w.rows() * 32];
      int rows = (int) w.rows();
      for (int rep = 0; rep < 5; rep++) {
        long t0 = System.nanoTime();
        int it = 20;
        for (int i = 0; i < it; i++) Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), cols, 0, rows, q, 0, 1, out, rows);
        long t1 = System.nanoTime();
        for (int i = 0; i < 2; i++) Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), cols, 0, rows, q, 0, 32, out, rows);
        long t2 = System.nanoTime();
        double mv = (t1 - t0) / 1e6 / it, mm = (t2 - t1) / 1e6 / 2 / 32;
        System.out.printf("%s 1 thread: matvec %.2f ms (%.1f GB/s), matmul %.3f ms/token%n", w, mv, w.rowBytes() * rows / mv / 1e6, mm);
      }
      InferenceState s = m.newState(256, false);
      int[] prompt = new int[64];
      for (int i = 0; i < prompt.length; i++) prompt[i] = 1000 + i;
      for (int rep = 0; rep < 3; rep++) {
        s.truncate(0);
        long t0 = System.nanoTime();
        m.forwardBatch(s, prompt);
        long t1 = System.nanoTime();
        int n = 16;
        for (int i = 0; i < n; i++) m.forward(s, 2000 + i);
        long t2 = System.nanoTime();
        System.out.printf("prefill %.1f tok/s, decode %.2f tok/s%n", prompt.length / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9));
      }
    }
  }
}
