package ai.edgeai.bench;

import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.Q8Batch;
import ai.edgeai.llm.tensor.GgmlType;
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
 * One prefill batch on one thread: a rows x cols matrix times {@code tokens} activation rows, with
 * the register-tiled float GEMM the engine uses for types other than Q8_0/Q4_0 ({@code gemm}:
 * dequantized weight panels, float activations), the token-lane kernel it uses for Q8_0/Q4_0
 * ({@code q8Lanes}, the decode kernels' exact bits) and the decode kernels' own 4-token tiles
 * ({@code exactQ8}); Q8 activations are quantized once in setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PrefillKernelBenchmark {

  @Param({"Q4_0", "Q8_0", "Q6_K"})
  public String type;

  @Param("2048")
  public int rows;

  @Param("2048")
  public int cols;

  @Param("32")
  public int tokens;

  private BenchData.Matrix matrix;
  private Tensor w;
  private float[] x;
  private Q8Batch q8;
  private float[] out;
  private float[] panel;

  @Setup
  public void setUp() throws IOException {
    matrix = new BenchData.Matrix(GgmlType.valueOf(type), rows, cols, 1);
    w = matrix.tensor();
    x = BenchData.gaussian(tokens * cols, 2);
    q8 = new Q8Batch(tokens, cols);
    for (int t = 0; t < tokens; t++) q8.quantize(t, x, t * cols, cols);
    q8.transposeTokens(Kernels.tokenLanes(), tokens, cols);
    out = new float[tokens * rows];
    panel = new float[Kernels.GEMM_ROWS * cols];
  }

  @TearDown
  public void tearDown() throws IOException {
    matrix.close();
  }

  @Benchmark
  public float[] gemm() {
    Kernels.gemm(w.type(), w.data(), w.rowBytes(), cols, 0, rows, x, cols, tokens, out, rows, panel);
    return out;
  }

  @Benchmark
  public float[] q8Lanes() {
    if (!Kernels.supportsQ8(w.type())) return out;
    Kernels.matmulQ8Lanes(w.type(), w.data(), w.rowBytes(), cols, 0, rows, q8, tokens, out, rows, panel);
    return out;
  }

  @Benchmark
  public float[] exactQ8() {
    if (!Kernels.supportsQ8(w.type())) return out;
    Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), cols, 0, rows, q8, 0, tokens, out, rows);
    return out;
  }
}
