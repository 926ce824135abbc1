package ai.edgeai.llm.kernel;

import static ai.edgeai.llm.kernel.KernelAllocationTest.allocatedBytesPerCall;
import static ai.edgeai.llm.kernel.KernelAllocationTest.mapped;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The prefill GEMM allocates nothing once compiled (see {@link KernelAllocationTest}). A class of
 * its own, so it gets its own JVM (the kernel-allocation execution does not reuse forks): compiled
 * in one JVM after the Q8 decode kernels at every width, with -Xbatch, C2 has boxed a 256-bit Q8_0
 * decode vector in the test that happened to run second, which no production run showed (a bench
 * llm run with prefill then decode has no GC once decoding). Like a JMH fork per benchmark.
 */
class GemmAllocationTest {

  @ParameterizedTest
  @ValueSource(strings = {"Q8_0", "Q4_0", "F16", "Q4_K", "Q6_K"})
  void gemmAllocatesNothing(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    try (Arena arena = Arena.ofShared()) {
      int rows = 9, cols = 256, tokens = 6; // a partial panel and a partial token tile
      Tensor w = mapped(KernelDifferentialTest.randomTensor(type, rows, cols, new SplittableRandom(9), arena), arena);
      float[] act = KernelDifferentialTest.randomActivations(tokens * cols, new SplittableRandom(10));
      float[] out = new float[tokens * rows];
      float[] panel = new float[Kernels.GEMM_ROWS * cols];
      for (int bits : KernelDifferentialTest.NATIVE_WIDTHS) {
        for (boolean narrow : new boolean[] {false, true}) {
          long bytes = allocatedBytesPerCall(() -> Kernels.gemm(bits, type, w.data(), w.rowBytes(), cols, 0, rows, act, cols, tokens, out, rows, panel, narrow));
          assertTrue(bytes == 0, "gemm " + type + " at " + bits + " bits (" + (narrow ? "4x2" : "4x4") + " tile) allocates " + bytes + " bytes/call");
        }
      }
    }
  }

  /**
   * The token-lane Q8 prefill kernel, measured like a JMH fork: one fresh JVM per width and type,
   * reaching the kernel through the public facade with the width forced by
   * {@code -Dedgeai.llm.vectorBits}, as the engine does. (In one shared JVM, compiling it at 128 bits
   * first made C2 box a vector at 256 bits; a production-shaped run at 256 bits allocates nothing.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"Q8_0 128", "Q8_0 256", "Q8_0 512", "Q4_0 128", "Q4_0 256", "Q4_0 512"})
  void q8LaneKernelsAllocateNothing(String typeAndBits) throws Exception {
    String[] parts = typeAndBits.split(" ");
    assumeTrue(KernelDifferentialTest.isNative(Integer.parseInt(parts[1])), parts[1] + "-bit vectors are not native on this CPU (Java fallback)");
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.nio.file.Path log = java.nio.file.Files.createTempFile("lane-probe", ".log");
    log.toFile().deleteOnExit();
    Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-Xbatch", "-Dedgeai.llm.vectorBits=" + parts[1],
        "-cp", System.getProperty("java.class.path"), LaneAllocationProbe.class.getName(), parts[0])
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
    if (!finished) p.destroyForcibly();
    String output = java.nio.file.Files.readString(log);
    assertTrue(finished, "probe did not finish in 120 s: " + output.trim());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes/call (\\d+)").matcher(output);
    int found = 0;
    while (m.find()) {
      found++;
      assertTrue(Long.parseLong(m.group(1)) == 0, "q8 lanes " + typeAndBits + " bits allocates: " + output.trim());
    }
    assertTrue(found == (parts[0].equals("Q4_0") ? 3 : 2), "probe output: " + output);
  }
}
