package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufValueType;
import ai.edgeai.llm.gguf.GgufWriter;
import ai.edgeai.llm.gguf.ModelFormatException;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Quantize;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a Llama-architecture GGUF with random N(0, σ) weights in a published model's shape and a
 * real tokenizer copied from a vocabulary GGUF: a stand-in for benchmarks that needs no download.
 * Weights are generated and quantized row by row while writing, so memory stays small.
 */
public final class ModelSynthesizer {

  /** Standard deviation of the random weights (a typical initialisation scale). */
  public static final float SIGMA = 0.02f;

  private ModelSynthesizer() {}

  public static void synthesize(ModelPreset p, GgmlType type, Path vocabGguf, Path out, long seed) throws IOException {
    if (!(type == GgmlType.F32 || Quantize.supports(type))) {
      throw new IllegalArgumentException("cannot write weights of type " + type);
    }
    GgufWriter w = new GgufWriter();
    int vocab;
    try (GgufFile v = GgufFile.open(vocabGguf)) {
      GgufMetadata md = v.metadata();
      if (!md.contains("tokenizer.ggml.tokens")) throw new ModelFormatException(vocabGguf, "missing required metadata key 'tokenizer.ggml.tokens'");
      vocab = md.getArray("tokenizer.ggml.tokens").length();
      w.putString("general.architecture", "llama");
      w.putString("general.name", p.name() + " (random weights, edgeai synth)");
      for (String key : md.keys()) {
        if (key.startsWith("tokenizer.")) w.put(key, md.type(key), md.get(key));
      }
    }
    w.putUint32("llama.context_length", p.contextLength());
    w.putUint32("llama.embedding_length", p.dim());
    w.putUint32("llama.feed_forward_length", p.hiddenDim());
    w.putUint32("llama.attention.head_count", p.heads());
    w.putUint32("llama.attention.head_count_kv", p.kvHeads());
    w.putUint32("llama.block_count", p.layers());
    w.putUint32("llama.rope.dimension_count", p.headSize());
    w.putFloat32("llama.rope.freq_base", p.ropeTheta());
    w.putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.putUint32("llama.vocab_size", vocab);
    w.putUint32("general.file_type", fileType(type));

    int dim = p.dim(), hidden = p.hiddenDim(), kvDim = p.kvHeads() * p.headSize();
    SplittableRandom root = new SplittableRandom(seed);
    random(w, "token_embd.weight", type, vocab, dim, root.split());
    Llama2cConverter.vector(w, "output_norm.weight", ones(dim));
    if (!p.tiedEmbeddings()) random(w, "output.weight", type, vocab, dim, root.split());
    float[] ropeFactors = p.ropeFreqFactors();
    if (ropeFactors != null) Llama2cConverter.vector(w, "rope_freqs.weight", ropeFactors);
    for (int l = 0; l < p.layers(); l++) {
      String b = "blk." + l + ".";
      Llama2cConverter.vector(w, b + "attn_norm.weight", ones(dim));
      random(w, b + "attn_q.weight", type, dim, dim, root.split());
      random(w, b + "attn_k.weight", type, kvDim, dim, root.split());
      random(w, b + "attn_v.weight", type, kvDim, dim, root.split());
      random(w, b + "attn_output.weight", type, dim, dim, root.split());
      Llama2cConverter.vector(w, b + "ffn_norm.weight", ones(dim));
      random(w, b + "ffn_gate.weight", type, hidden, dim, root.split());
      random(w, b + "ffn_down.weight", type, dim, hidden, root.split());
      random(w, b + "ffn_up.weight", type, hidden, dim, root.split());
    }
    w.write(out);
  }

  private static int fileType(GgmlType t) {
    return switch (t) {
      case F32 -> 0;
      case F16 -> 1;
      case Q4_0 -> 2;
      case Q4_1 -> 3;
      case Q8_0 -> 7;
      case Q5_0 -> 8;
      case Q5_1 -> 9;
      case BF16 -> 32;
      default -> throw new IllegalArgumentException("no file type for " + t);
    };
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  /** A rows × cols tensor of N(0, SIGMA) values, generated and encoded one row at a time. */
  private static void random(GgufWriter w, String name, GgmlType type, int rows, int cols, SplittableRandom rnd) {
    long rowBytes = type.byteSize(cols);
    w.addTensor(name, type, new long[] {cols, rows}, out -> {
      float[] row = new float[cols];
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment buf = arena.allocate(rowBytes);
        for (int r = 0; r < rows; r++) {
          for (int i = 0; i < cols; i++) row[i] = (float) rnd.nextGaussian() * SIGMA;
          if (type == GgmlType.F32) {
            for (int i = 0; i < cols; i++) buf.set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 4L * i, row[i]);
          } else {
            Quantize.row(type, row, 0, buf, 0, cols);
          }
          out.write(buf);
        }
      }
    });
  }
}
