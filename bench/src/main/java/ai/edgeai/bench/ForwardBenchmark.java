package ai.edgeai.bench;

import ai.edgeai.llm.model.InferenceState;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.model.ModelPreset;
import ai.edgeai.llm.tensor.GgmlType;
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
 * One decode step through the public engine API ({@link LlamaModel#forward}) on one Llama-3.2-1B
 * decoder layer (dim 2048, FFN 8192, 32 heads, 8 KV heads) with a reduced 8192-token tied
 * vocabulary: the seven layer matrices plus the output matrix go through the model's worker pool,
 * with RMSNorm, RoPE, attention at depth {@link #DEPTH} and SwiGLU in between. Divide by the
 * layer's share to extrapolate: the full model has 16 layers and a 128256-token output.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ForwardBenchmark {

  /** Position every measured token is decoded at (the cache holds this many earlier tokens). */
  static final int DEPTH = 128;

  @Param({"Q4_0", "Q8_0"})
  public String type;

  @Param({"1", "2"})
  public int threads;

  private Path file;
  private LlamaModel model;
  private InferenceState state;
  private int token;

  @Setup
  public void setUp() throws IOException {
    file = BenchData.llamaFile(ModelPreset.byName("llama-3.2-1b"), 1, 8192, GgmlType.valueOf(type), 4);
    model = LlamaModel.load(file, threads);
    state = model.newState(DEPTH + 1, false);
    for (int i = 0; i < DEPTH; i++) model.forward(state, i);
  }

  @TearDown
  public void tearDown() throws IOException {
    model.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public float[] forward() {
    state.truncate(DEPTH);
    token = (token + 1) & 8191;
    return model.forward(state, token);
  }
}
