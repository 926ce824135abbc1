package ai.edgeai.bench;

import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.Q8Batch;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Q8Activations;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
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
 * The integer path llama.cpp's CPU backend takes for Q8_0/Q4_0 weights: {@link Tensor#dotQ8} of every
 * row against activations quantized once to Q8_0 ({@code dotQ8}, the scalar reference), the same
 * with the quantization inside the operation ({@code quantizeAndDotQ8}), and the SIMD kernel the
 * engine's decode runs ({@code matmulQ8}: {@link Kernels#matmulQ8} over all rows, one thread, at
 * the width the probe picks; {@code -jvmArgsPrepend -Dedgeai.llm.vectorBits=128} forces one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TensorDotQ8Benchmark {

  @Param({"Q8_0", "Q4_0"})
  public String type;

  @Param("2048")
  public int rows;

  @Param("2048")
  public int cols;

  private BenchData.Matrix matrix;
  private Tensor w;
  private float[] x;
  private Q8Activations q8;
  private Q8Batch batch;
  private float[] out;

  @Setup
  public void setUp() throws IOException {
    matrix = new BenchData.Matrix(GgmlType.valueOf(type), rows, cols, 1);
    w = matrix.tensor();
    x = BenchData.gaussian(cols, 2);
    q8 = new Q8Activations(cols);
    q8.quantize(x, cols);
    batch = new Q8Batch(1, cols);
    batch.quantize(0, x, 0, cols);
    out = new float[rows];
  }

  @TearDown
  public void tearDown() throws IOException {
    matrix.close();
  }

  @Benchmark
  public float[] dotQ8() {
    for (int i = 0; i < rows; i++) out[i] = w.dotQ8(i, q8);
    return out;
  }

  @Benchmark
  public float[] quantizeAndDotQ8() {
    q8.quantize(x, cols);
    for (int i = 0; i < rows; i++) out[i] = w.dotQ8(i, q8);
    return out;
  }

  @Benchmark
  public float[] matmulQ8() {
    Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), cols, 0, rows, batch, 0, 1, out, rows);
    return out;
  }
}
