package ai.edgeai.bench;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufWriter;
import ai.edgeai.llm.model.ModelPreset;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Quantize;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Benchmark inputs written as GGUF files and read back through the engine's own loader, so that
 * kernels see memory-mapped segments exactly as they do in a real model (a heap or malloc'd segment
 * is a different segment class and would profile differently).
 */
final class BenchData {

  /** Standard deviation of the random weights, as {@code edgeai synth} uses. */
  static final float SIGMA = 0.02f;

  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private BenchData() {}

  /** N(0, 1) activations. */
  static float[] gaussian(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
    return v;
  }

  /** A {@link #matrixFile} opened through the engine's loader; closing it unmaps and deletes the file. */
  static final class Matrix implements AutoCloseable {
    private final Path file;
    private final GgufFile gguf;
    private final Tensor tensor;

    Matrix(GgmlType type, int rows, int cols, long seed) throws IOException {
      file = matrixFile(type, rows, cols, seed);
      gguf = GgufFile.open(file);
      tensor = gguf.openTensor("w");
    }

    Tensor tensor() {
      return tensor;
    }

    @Override
    public void close() throws IOException {
      gguf.close();
      Files.deleteIfExists(file);
    }
  }

  /** A GGUF file holding one {@code rows × cols} tensor named {@code w} of random weights. */
  static Path matrixFile(GgmlType type, int rows, int cols, long seed) throws IOException {
    Path file = Files.createTempFile("edgeai-bench-" + type, ".gguf");
    SplittableRandom rnd = new SplittableRandom(seed);
    new GgufWriter()
        .putString("general.architecture", "edgeai-bench")
        .addTensor("w", type, new long[] {cols, rows}, out -> writeRandom(out, type, rows, cols, rnd))
        .write(file);
    return file;
  }

  /**
   * A Llama GGUF in the layer geometry of {@code preset} with {@code layers} blocks, a vocabulary of
   * {@code vocab} and tied embeddings: the matrices of a real decoder layer at a fraction of the file.
   */
  static Path llamaFile(ModelPreset p, int layers, int vocab, GgmlType type, long seed) throws IOException {
    Path file = Files.createTempFile("edgeai-bench-llama-" + type, ".gguf");
    SplittableRandom root = new SplittableRandom(seed);
    int dim = p.dim(), hidden = p.hiddenDim(), kvDim = p.kvHeads() * p.headSize();
    GgufWriter w = new GgufWriter()
        .putString("general.architecture", "llama")
        .putUint32("llama.context_length", 4096)
        .putUint32("llama.embedding_length", dim)
        .putUint32("llama.feed_forward_length", hidden)
        .putUint32("llama.attention.head_count", p.heads())
        .putUint32("llama.attention.head_count_kv", p.kvHeads())
        .putUint32("llama.block_count", layers)
        .putUint32("llama.rope.dimension_count", p.headSize())
        .putFloat32("llama.rope.freq_base", p.ropeTheta())
        .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
        .putUint32("llama.vocab_size", vocab);
    float[] ones = new float[dim];
    Arrays.fill(ones, 1f);
    MemorySegment norm = MemorySegment.ofArray(ones);
    matrix(w, "token_embd.weight", type, vocab, dim, root.split());
    w.addTensor("output_norm.weight", GgmlType.F32, new long[] {dim}, norm);
    for (int l = 0; l < layers; l++) {
      String b = "blk." + l + ".";
      w.addTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {dim}, norm);
      matrix(w, b + "attn_q.weight", type, dim, dim, root.split());
      matrix(w, b + "attn_k.weight", type, kvDim, dim, root.split());
      matrix(w, b + "attn_v.weight", type, kvDim, dim, root.split());
      matrix(w, b + "attn_output.weight", type, dim, dim, root.split());
      w.addTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {dim}, norm);
      matrix(w, b + "ffn_gate.weight", type, hidden, dim, root.split());
      matrix(w, b + "ffn_down.weight", type, dim, hidden, root.split());
      matrix(w, b + "ffn_up.weight", type, hidden, dim, root.split());
    }
    w.write(file);
    return file;
  }

  private static void matrix(GgufWriter w, String name, GgmlType type, int rows, int cols, SplittableRandom rnd) {
    w.addTensor(name, type, new long[] {cols, rows}, out -> writeRandom(out, type, rows, cols, rnd));
  }

  /**
   * Row by row: N(0, SIGMA) values quantized with the reference quantizer where one exists. K-quants
   * have no quantizer here, so their blocks are random bytes with sane F16 scales (random bit
   * patterns there could be NaN or subnormal, which some CPUs process far slower).
   */
  private static void writeRandom(GgufWriter.TensorOutput out, GgmlType type, int rows, int cols, SplittableRandom rnd)
      throws IOException {
    long rowBytes = type.byteSize(cols);
    float[] row = new float[cols];
    byte[] raw = new byte[(int) rowBytes];
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(rowBytes);
      for (int r = 0; r < rows; r++) {
        if (Quantize.supports(type)) {
          for (int i = 0; i < cols; i++) row[i] = (float) rnd.nextGaussian() * SIGMA;
          Quantize.row(type, row, 0, buf, 0, cols);
        } else {
          rnd.nextBytes(raw);
          MemorySegment.copy(MemorySegment.ofArray(raw), 0, buf, 0, rowBytes);
          setKQuantScales(type, buf, cols / type.blockSize());
        }
        out.write(buf);
      }
    }
  }

  private static void setKQuantScales(GgmlType type, MemorySegment row, int blocks) {
    short d = Quantize.f16(SIGMA / 32), dmin = Quantize.f16(SIGMA / 4);
    for (int b = 0; b < blocks; b++) {
      long p = (long) b * type.typeSize();
      switch (type) {
        case Q4_K, Q5_K -> { // half d; half dmin; ...
          row.set(I16, p, d);
          row.set(I16, p + 2, dmin);
        }
        case Q6_K -> row.set(I16, p + 208, d); // ... half d last
        default -> throw new IllegalArgumentException("no random block layout for " + type);
      }
    }
  }
}
