package ai.edgeai.bench;

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
 * {@link Tensor#dot} over every row of a {@code rows × cols} matrix (one single-threaded matrix ×
 * vector product per operation) and {@link Tensor#dequantizeRow} over the same rows, per weight type.
 * Bytes streamed per operation: {@code type.byteSize(cols) * rows}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TensorDotBenchmark {

  @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
  public String type;

  @Param("2048")
  public int rows;

  @Param("2048")
  public int cols;

  private BenchData.Matrix matrix;
  private Tensor w;
  private float[] x;
  private float[] out;
  private float[] rowBuffer;

  @Setup
  public void setUp() throws IOException {
    matrix = new BenchData.Matrix(GgmlType.valueOf(type), rows, cols, 1);
    w = matrix.tensor();
    x = BenchData.gaussian(cols, 2);
    out = new float[rows];
    rowBuffer = new float[cols];
  }

  @TearDown
  public void tearDown() throws IOException {
    matrix.close();
  }

  @Benchmark
  public float[] dot() {
    for (int i = 0; i < rows; i++) out[i] = w.dot(i, x, 0);
    return out;
  }

  @Benchmark
  public float[] dequantizeRow() {
    for (int i = 0; i < rows; i++) w.dequantizeRow(i, rowBuffer, 0);
    return rowBuffer;
  }
}
