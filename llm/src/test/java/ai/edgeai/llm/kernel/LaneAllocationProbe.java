package ai.edgeai.llm.kernel;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/** Run by {@link GemmAllocationTest} in a JVM of its own: prints the token-lane kernel's allocated bytes per call. */
public final class LaneAllocationProbe {
  private LaneAllocationProbe() {}

  public static void main(String[] args) {
    GgmlType type = GgmlType.valueOf(args[0]);
    try (Arena arena = Arena.ofShared()) {
      int rows = 9, cols = 256, tokens = 21; // an odd row and a partial lane group
      Tensor w = KernelAllocationTest.mapped(KernelDifferentialTest.randomTensor(type, rows, cols, new SplittableRandom(11), arena), arena);
      float[] act = KernelDifferentialTest.randomActivations(tokens * cols, new SplittableRandom(12));
      Q8Batch x = new Q8Batch(tokens, cols);
      for (int t = 0; t < tokens; t++) x.quantize(t, act, t * cols, cols);
      float[] out = new float[tokens * rows];
      float[] panel = new float[Kernels.GEMM_ROWS * cols];
      long transpose = KernelAllocationTest.allocatedBytesPerCall(() -> x.transposeTokens(Kernels.tokenLanes(), tokens, cols));
      long kernel = KernelAllocationTest.allocatedBytesPerCall(() -> Kernels.matmulQ8Lanes(type, w.data(), w.rowBytes(), cols, 0, rows, x, tokens, out, rows, panel));
      System.out.println(Kernels.describe());
      System.out.println("transpose bytes/call " + transpose);
      System.out.println("kernel bytes/call " + kernel);
      if (type == GgmlType.Q4_0) {
        long repacked = KernelAllocationTest.allocatedBytesPerCall(() -> Kernels.matmulQ4RepackedLanes(w.data(), w.rowBytes(), cols, 0, rows, x, tokens, out, rows, panel));
        System.out.println("repacked bytes/call " + repacked);
      }
    }
  }
}
