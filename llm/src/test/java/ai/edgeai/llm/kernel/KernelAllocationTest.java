package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kernels allocate nothing once compiled: a Vector API value that C2 fails to keep in registers is
 * boxed on the heap, which shows up here as allocated bytes per call. Not a timing test: it warms
 * each kernel up (interpreted and C1 code does box) and then counts bytes over many calls.
 */
class KernelAllocationTest {

  private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * The tensor copied into a memory-mapped temp file: the kind of segment the engine uses (a call
   * site that sees two segment kinds compiles differently, so the test must match production).
   */
  static Tensor mapped(Tensor t, Arena arena) {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("kernel-alloc", ".bin");
      f.toFile().deleteOnExit();
      java.nio.file.Files.write(f, t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
        MemorySegment seg = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        return new Tensor(t.name(), t.type(), t.rows(), t.cols(), seg);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long allocatedBytesPerCall(Runnable call) {
    long best = Long.MAX_VALUE;
    // Warm up in rounds until compiled code stops allocating (or the rounds run out).
    for (int round = 0; round < 200 && best > 0; round++) {
      for (int i = 0; i < 2_000; i++) call.run();
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 1_000; i++) call.run();
      best = Math.min(best, (THREADS.getCurrentThreadAllocatedBytes() - before) / 1_000);
    }
    return best;
  }

  @ParameterizedTest
  @ValueSource(strings = {"Q8_0", "Q4_0"})
  void q8KernelsAllocateNothing(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    try (Arena arena = Arena.ofShared()) {
      int rows = 8, cols = 128, tokens = 5;
      Tensor w = mapped(KernelDifferentialTest.randomTensor(type, rows, cols, new SplittableRandom(3), arena), arena);
      Q8Batch x = new Q8Batch(tokens, cols);
      float[] act = KernelDifferentialTest.randomActivations(tokens * cols, new SplittableRandom(4));
      for (int t = 0; t < tokens; t++) x.quantize(t, act, t * cols, cols);
      float[] out = new float[tokens * rows];
      for (int bits : java.util.Arrays.stream(KernelDifferentialTest.NATIVE_WIDTHS).filter(b -> b <= 256).toArray()) {
        long decode = allocatedBytesPerCall(() -> Kernels.matmulQ8(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, 0, rows, x, 0, 1, out, rows));
        long prefill = allocatedBytesPerCall(() -> Kernels.matmulQ8(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, 0, rows, x, 0, tokens, out, rows));
        long quantize = allocatedBytesPerCall(() -> x.quantize(0, act, 0, cols));
        assertTrue(decode == 0 && prefill == 0 && quantize == 0,
            type + " at " + bits + " bits allocates: decode " + decode + ", prefill " + prefill + ", quantize " + quantize + " bytes/call");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "F16", "BF16", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
  void floatKernelsAllocateNothing(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    try (Arena arena = Arena.ofShared()) {
      int rows = 4, cols = 256, tokens = 2;
      Tensor w = mapped(KernelDifferentialTest.randomTensor(type, rows, cols, new SplittableRandom(5), arena), arena);
      float[] act = KernelDifferentialTest.randomActivations(tokens * cols, new SplittableRandom(6));
      float[] out = new float[tokens * rows];
      float[] scratch = new float[cols];
      for (int bits : KernelDifferentialTest.NATIVE_WIDTHS) {
        long bytes = allocatedBytesPerCall(() -> Kernels.matmulF(bits, type, w.data(), w.rowBytes(), cols, 0, rows, act, cols, tokens, out, rows, scratch));
        assertTrue(bytes == 0, type + " at " + bits + " bits allocates " + bytes + " bytes/call");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {128, 256, 512})
  void attentionKernelsAllocateNothing(int bits) {
    assumeTrue(KernelDifferentialTest.isNative(bits), bits + "-bit vectors are not native on this CPU (Java fallback)");
    float[] a = KernelDifferentialTest.randomActivations(200, new SplittableRandom(7));
    float[] b = KernelDifferentialTest.randomActivations(200, new SplittableRandom(8));
    float[] sink = new float[1];
    long dot = allocatedBytesPerCall(() -> sink[0] += Kernels.dot(bits, a, 3, b, 5, 64));
    long axpy = allocatedBytesPerCall(() -> Kernels.axpy(bits, 1e-3f, a, 3, b, 5, 64));
    assertTrue(dot == 0 && axpy == 0, "dot " + dot + ", axpy " + axpy + " bytes/call at " + bits + " bits");
  }
}
