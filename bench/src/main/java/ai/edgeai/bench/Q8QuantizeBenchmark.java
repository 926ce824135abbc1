package ai.edgeai.bench;

import ai.edgeai.llm.tensor.Q8Activations;
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
import org.openjdk.jmh.annotations.Warmup;

/** {@link Q8Activations#quantize} of an activation vector (the model dimension and the FFN width of Llama-3.2-1B). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Q8QuantizeBenchmark {

  @Param({"2048", "8192"})
  public int n;

  private float[] x;
  private Q8Activations q8;

  @Setup
  public void setUp() {
    x = BenchData.gaussian(n, 3);
    q8 = new Q8Activations(n);
  }

  @Benchmark
  public Q8Activations quantize() {
    q8.quantize(x, n);
    return q8;
  }
}
