package ai.edgeai.bench;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.Q8Batch;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decode step's matrix × vector on one thread, with the kernels the engine picks: the integer
 * Q8 path for Q8_0/Q4_0 ({@link Kernels#matmulQ8}, activations quantized once in setup) and the
 * float path for the other types ({@link Kernels#matmulF}). Compare the width with
 * {@code -jvmArgsAppend -Dedgeai.llm.vectorBits=128|256|512}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeKernelBenchmark {

  @Param({"Q4_0", "Q8_0"})
  public String type;

  @Param("2048")
  public int rows;

  @Param("2048")
  public int cols;

  private Path file;
  private GgufFile gguf;
  private Tensor w;
  private GgmlType ggmlType;
  private float[] x;
  private Q8Batch q8;
  private float[] out;
  private float[] scratch;

  @Setup
  public void setUp() throws IOException {
    ggmlType = GgmlType.valueOf(type);
    file = BenchData.matrixFile(ggmlType, rows, cols, 1);
    gguf = GgufFile.open(file);
    w = gguf.openTensor("w");
    x = BenchData.gaussian(cols, 2);
    q8 = new Q8Batch(1, cols);
    q8.quantize(0, x, 0, cols);
    out = new float[rows];
    scratch = new float[cols];
  }

  @TearDown
  public void tearDown() throws IOException {
    gguf.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public float[] matvec() {
    if (Kernels.supportsQ8(ggmlType)) {
      Kernels.matmulQ8(ggmlType, w.data(), w.rowBytes(), cols, 0, rows, q8, 0, 1, out, rows);
    } else {
      Kernels.matmulF(ggmlType, w.data(), w.rowBytes(), cols, 0, rows, x, cols, 1, out, rows, scratch);
    }
    return out;
  }
}
