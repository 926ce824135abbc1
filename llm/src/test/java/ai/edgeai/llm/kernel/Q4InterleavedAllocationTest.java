package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Q4Interleaved}'s decode and prompt kernels allocate nothing per call, at the width this JVM
 * runs them. In a JVM of its own (see llm/pom.xml): after the other allocation tests have run the
 * Vector API's shared conversion code at other shapes, C2 boxes some of these large kernels'
 * vectors, which measures that JVM's history rather than the kernel.
 */
class Q4InterleavedAllocationTest {

  @Test
  void interleavedQ4KernelsAllocateNothing() {
    try (Arena arena = Arena.ofShared()) {
      int rows = 64, cols = 128, tokens = 5;
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, rows, cols, new SplittableRandom(13), arena);
      MemorySegment packed = Q4InterleavedTest.repacked(w, arena);
      float[] scratch = new float[cols];
      Q8Batch x = new Q8Batch(tokens, cols);
      float[] act = KernelDifferentialTest.randomActivations(tokens * cols, new SplittableRandom(14));
      for (int t = 0; t < tokens; t++) x.quantize(t, act, t * cols, cols);
      float[] out = new float[tokens * rows];
      assumeTrue(Q4Interleaved.worthwhile(), "the repacked kernels run at 256 bits and up; this JVM runs " + Kernels.floatBits());
      for (int bits : new int[] {Kernels.floatBits()}) {
        long decode = KernelAllocationTest.allocatedBytesPerCall(() -> Q4Interleaved.matmul(bits, packed, cols, 0, rows, x, 0, 1, out, rows, scratch));
        long prefill = KernelAllocationTest.allocatedBytesPerCall(() -> Q4Interleaved.matmul(bits, packed, cols, 0, rows, x, 0, tokens, out, rows, scratch));
        assertTrue(decode == 0 && prefill == 0, "interleaved Q4_0 at " + bits + " bits allocates: decode " + decode + ", prefill " + prefill + " bytes/call");
      }
      if (PackedGemm.applies()) {
        int tp = PackedGemm.paddedTokens(tokens);
        float[] xt = new float[tp * cols];
        float[] panel = new float[PackedGemm.panelFloats(cols)];
        long gemm = KernelAllocationTest.allocatedBytesPerCall(() -> {
          PackedGemm.packActivations(x, tokens, cols, 0, cols, xt);
          Q4Interleaved.gemm(packed, cols, 0, rows, xt, tokens, out, rows, panel);
        });
        assertTrue(gemm == 0, "packed Q4_0 GEMM allocates " + gemm + " bytes/call");
      }
    }
  }

  @Test
  void interleavedQ8KernelsAllocateNothing() {
    assumeTrue(Q8Interleaved.worthwhile(), "the repacked Q8_0 kernels run at 512 bits; this JVM runs " + Kernels.floatBits());
    try (Arena arena = Arena.ofShared()) {
      int rows = 64, cols = 128, tokens = 5;
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q8_0, rows, cols, new SplittableRandom(15), arena);
      MemorySegment packed = Q8InterleavedTest.repacked(w, arena);
      Q8Batch x = new Q8Batch(tokens, cols);
      float[] act = KernelDifferentialTest.randomActivations(tokens * cols, new SplittableRandom(16));
      for (int t = 0; t < tokens; t++) x.quantize(t, act, t * cols, cols);
      float[] out = new float[tokens * rows];
      int tp = PackedGemm.paddedTokens(tokens);
      float[] xt = new float[tp * cols];
      float[] panel = new float[PackedGemm.panelFloats(cols)];
      long decode = KernelAllocationTest.allocatedBytesPerCall(() -> Q8Interleaved.matmul(packed, cols, 0, rows, x, 0, 1, out, rows));
      long gemm = KernelAllocationTest.allocatedBytesPerCall(() -> {
        PackedGemm.packActivations(x, tokens, cols, 0, cols, xt);
        Q8Interleaved.gemm(packed, cols, 0, rows, xt, tokens, out, rows, panel);
      });
      assertTrue(decode == 0 && gemm == 0, "interleaved Q8_0 allocates: decode " + decode + ", packed GEMM " + gemm + " bytes/call");
    }
  }
}
