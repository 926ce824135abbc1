package ai.edgeai.bench;

import ai.edgeai.llm.kernel.Kernels;
import ai.edgeai.llm.kernel.PackedGemm;
import ai.edgeai.llm.kernel.Q4Interleaved;
import ai.edgeai.llm.kernel.Q8Interleaved;
import ai.edgeai.llm.kernel.Q8Batch;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * Q4_0 or Q8_0 matrix × Q8_0 activations, one thread: the GGUF-layout kernel ({@code fileLayout}:
 * {@link Kernels#matmulQ8}) against the 16-row interleaved ones ({@code interleaved}:
 * {@link Q4Interleaved#matmul} / {@link Q8Interleaved#matmul}, the decode kernels, also over
 * several tokens) and, for prompt batches on 512-bit kernels, the packed GEMM ({@code packedGemm},
 * activations packed inside the operation) on the same weights, for {@code tokens} activation rows
 * (1 = decode). Q8_0 is repacked on 512-bit kernels only ({@code interleaved} then measures
 * nothing elsewhere). Run with {@code -prof gc}: none allocates per operation. {@code rows x cols}
 * 2048 x 2048 is 2.4 MB (Q4_0) or 4.5 MB (Q8_0); 8192 x 8192 shows the memory-bound case. The
 * warm-up is long because the kernels are large: until C2 has compiled them they run the Vector
 * API's interpreted fallback (hundreds of times slower).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 1)
public class InterleavedBenchmark {

  @Param({"Q4_0", "Q8_0"})
  public String type;

  @Param({"2048"})
  public int rows;

  @Param({"2048"})
  public int cols;

  @Param({"1", "32"})
  public int tokens;

  private boolean q4;
  private BenchData.Matrix matrix;
  private Tensor w;
  private Arena arena;
  private MemorySegment packed;
  private Q8Batch batch;
  private float[] out;
  private float[] scratch;
  private int tp;
  private float[] xt;
  private float[] panel;

  @Setup
  public void setUp() throws IOException {
    q4 = type.equals("Q4_0");
    matrix = new BenchData.Matrix(GgmlType.valueOf(type), rows, cols, 1);
    w = matrix.tensor();
    arena = Arena.ofShared();
    packed = arena.allocate(q4 ? Q4Interleaved.byteSize(rows, cols) : Q8Interleaved.byteSize(rows, cols), 64);
    boolean done = q4 ? Q4Interleaved.repack(w.data(), cols, 0, rows / Q4Interleaved.ROWS, packed)
        : Q8Interleaved.repack(w.data(), cols, 0, rows / Q8Interleaved.ROWS, packed);
    if (!done) throw new IllegalStateException("non-finite scales");
    batch = new Q8Batch(tokens, cols);
    float[] x = BenchData.gaussian(tokens * cols, 2);
    for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
    out = new float[tokens * rows];
    scratch = new float[cols];
    tp = PackedGemm.paddedTokens(tokens);
    xt = new float[tp * cols];
    panel = new float[PackedGemm.panelFloats(cols)];
  }

  @TearDown
  public void tearDown() throws IOException {
    arena.close();
    matrix.close();
  }

  @Benchmark
  public float[] fileLayout() {
    Kernels.matmulQ8(w.type(), w.data(), w.rowBytes(), cols, 0, rows, batch, 0, tokens, out, rows);
    return out;
  }

  /** Prompt batches only, 512-bit kernels only: the packed GEMM, activations packed inside the operation. */
  @Benchmark
  public float[] packedGemm() {
    if (tokens == 1 || !PackedGemm.applies()) return out;
    PackedGemm.packActivations(batch, tokens, cols, 0, cols, xt);
    if (q4) Q4Interleaved.gemm(packed, cols, 0, rows, xt, tokens, out, rows, panel);
    else Q8Interleaved.gemm(packed, cols, 0, rows, xt, tokens, out, rows, panel);
    return out;
  }

  @Benchmark
  public float[] interleaved() {
    if (q4) Q4Interleaved.matmul(packed, cols, 0, rows, batch, 0, tokens, out, rows, scratch);
    else if (Q8Interleaved.worthwhile()) Q8Interleaved.matmul(packed, cols, 0, rows, batch, 0, tokens, out, rows);
    return out;
  }
}
