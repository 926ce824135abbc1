package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufWriter;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Quantize;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes tiny random-weight GGUFs of each supported architecture with the tensors and keys
 * llama.cpp reads for it (the tokenizer is copied from a vocabulary GGUF). Weights are scaled so
 * that the logits spread over several units and greedy choices are clear.
 */
final class FamilyGguf {

  static final int DIM = 64;
  static final int LAYERS = 2;
  static final int HEADS = 4;
  static final int KV_HEADS = 2;
  static final int HIDDEN = 128;
  static final int CONTEXT = 4096;
  /** Sliding window used by the Gemma files: shorter than the test sequence, so it matters. */
  static final int WINDOW = 8;

  private final GgufWriter w = new GgufWriter();
  private final SplittableRandom rnd;
  private final String arch;
  private final String p;
  private final GgmlType type;
  private int vocab;

  private FamilyGguf(String arch, GgmlType type, long seed) {
    this.arch = arch;
    this.p = arch + ".";
    this.type = type;
    this.rnd = new SplittableRandom(seed);
  }

  /**
   * Writes a model of {@code family} (llama, mistral, qwen2, qwen3, phi3, gemma2, gemma3) with
   * {@code general.architecture = archName} (usually the same; "mistral" files are also written as
   * "llama", the name llama.cpp knows them by).
   */
  static void write(String family, String archName, GgmlType type, Path vocabGguf, Path out, long seed) throws IOException {
    FamilyGguf f = new FamilyGguf(archName, type, seed);
    f.header(vocabGguf);
    switch (family) {
      case "llama", "mistral" -> f.llamaLike(DIM / HEADS, false, false);
      case "qwen2" -> f.llamaLike(DIM / HEADS, true, false);
      case "qwen3" -> f.llamaLike(32, false, true); // head size ≠ dim/heads, as in Qwen3
      case "phi3" -> f.phi3();
      case "gemma2" -> f.gemma(false);
      case "gemma3" -> f.gemma(true);
      default -> throw new IllegalArgumentException(family);
    }
    f.w.write(out);
  }

  private void header(Path vocabGguf) throws IOException {
    try (GgufFile v = GgufFile.open(vocabGguf)) {
      GgufMetadata md = v.metadata();
      vocab = md.getArray("tokenizer.ggml.tokens").length();
      w.putString("general.architecture", arch);
      // Not the architecture's name: llama.cpp adjusts Phi-3 vocabularies by general.name and would
      // look for Phi-3's special tokens in this borrowed vocabulary.
      w.putString("general.name", "edgeai tiny random weights");
      for (String key : md.keys()) if (key.startsWith("tokenizer.")) w.put(key, md.type(key), md.get(key));
    }
    w.putUint32("general.file_type", type == GgmlType.F32 ? 0 : type == GgmlType.F16 ? 1 : 7);
    w.putUint32(p + "context_length", CONTEXT);
    w.putUint32(p + "embedding_length", DIM);
    w.putUint32(p + "feed_forward_length", HIDDEN);
    w.putUint32(p + "block_count", LAYERS);
    w.putUint32(p + "attention.head_count", HEADS);
    w.putUint32(p + "attention.head_count_kv", KV_HEADS);
    w.putFloat32(p + "attention.layer_norm_rms_epsilon", 1e-6f);
  }

  private void llamaLike(int headSize, boolean biases, boolean qkNorm) {
    if (headSize != DIM / HEADS) {
      w.putUint32(p + "attention.key_length", headSize);
      w.putUint32(p + "attention.value_length", headSize);
    }
    w.putUint32(p + "rope.dimension_count", headSize);
    w.putFloat32(p + "rope.freq_base", 1_000_000f);
    int qDim = HEADS * headSize, kvDim = KV_HEADS * headSize;
    embeddingAndOutput(!qkNorm); // Qwen3 here ties the output to the embedding
    for (int l = 0; l < LAYERS; l++) {
      String b = "blk." + l + ".";
      norm(b + "attn_norm.weight", DIM);
      matrix(b + "attn_q.weight", qDim, DIM, 1.5f);
      matrix(b + "attn_k.weight", kvDim, DIM, 1.5f);
      matrix(b + "attn_v.weight", kvDim, DIM, 1f);
      if (biases) {
        vector(b + "attn_q.bias", qDim, 0f, 0.5f);
        vector(b + "attn_k.bias", kvDim, 0f, 0.5f);
        vector(b + "attn_v.bias", kvDim, 0f, 0.5f);
      }
      if (qkNorm) {
        norm(b + "attn_q_norm.weight", headSize);
        norm(b + "attn_k_norm.weight", headSize);
      }
      matrix(b + "attn_output.weight", DIM, qDim, 1f);
      norm(b + "ffn_norm.weight", DIM);
      matrix(b + "ffn_gate.weight", HIDDEN, DIM, 1f);
      matrix(b + "ffn_up.weight", HIDDEN, DIM, 1f);
      matrix(b + "ffn_down.weight", DIM, HIDDEN, 1f);
    }
  }

  private void phi3() {
    int headSize = DIM / HEADS, kvDim = KV_HEADS * headSize;
    w.putUint32(p + "rope.dimension_count", headSize);
    w.putFloat32(p + "rope.freq_base", 10000f);
    // LongRoPE: the short factors apply while the context stays within the original length.
    w.putUint32(p + "rope.scaling.original_context_length", CONTEXT);
    w.putFloat32(p + "rope.scaling.attn_factor", 1.19f);
    vector("rope_factors_short.weight", headSize / 2, 2.5f, 1f, 1f);
    vector("rope_factors_long.weight", headSize / 2, 20f, 5f, 1f);
    embeddingAndOutput(true);
    for (int l = 0; l < LAYERS; l++) {
      String b = "blk." + l + ".";
      norm(b + "attn_norm.weight", DIM);
      matrix(b + "attn_qkv.weight", DIM + 2 * kvDim, DIM, 1.5f);
      matrix(b + "attn_output.weight", DIM, DIM, 1f);
      norm(b + "ffn_norm.weight", DIM);
      matrix(b + "ffn_up.weight", 2 * HIDDEN, DIM, 1f); // gate ‖ up
      matrix(b + "ffn_down.weight", DIM, HIDDEN, 1f);
    }
  }

  private void gemma(boolean gemma3) {
    int headSize = 32; // ≠ dim/heads, as in Gemma
    w.putUint32(p + "attention.key_length", headSize);
    w.putUint32(p + "attention.value_length", headSize);
    w.putUint32(p + "attention.sliding_window", WINDOW);
    if (gemma3) {
      // Layer 0 local (base 10000, unscaled), layer 1 global (base 1e6, linear ×8).
      w.putUint32(p + "attention.sliding_window_pattern", 2);
      w.putFloat32(p + "rope.freq_base", 1_000_000f);
      w.putFloat32(p + "rope.freq_base_swa", 10000f);
      w.putString(p + "rope.scaling.type", "linear");
      w.putFloat32(p + "rope.scaling.factor", 8f);
    } else {
      w.putFloat32(p + "rope.freq_base", 10000f);
      // Caps low enough to bend these logits (Gemma 2 itself uses 50 and 30).
      w.putFloat32(p + "attn_logit_softcapping", 2.5f);
      w.putFloat32(p + "final_logit_softcapping", 8f);
    }
    w.putUint32(p + "rope.dimension_count", headSize);
    int qDim = HEADS * headSize, kvDim = KV_HEADS * headSize;
    // Gemma ties the output to the embedding; the embedding is scaled by sqrt(dim) on input.
    matrix("token_embd.weight", vocab, DIM, 3f / 8f * (float) Math.sqrt(DIM));
    norm("output_norm.weight", DIM);
    for (int l = 0; l < LAYERS; l++) {
      String b = "blk." + l + ".";
      norm(b + "attn_norm.weight", DIM);
      matrix(b + "attn_q.weight", qDim, DIM, 1.5f);
      matrix(b + "attn_k.weight", kvDim, DIM, 1.5f);
      matrix(b + "attn_v.weight", kvDim, DIM, 1f);
      if (gemma3) {
        norm(b + "attn_q_norm.weight", headSize);
        norm(b + "attn_k_norm.weight", headSize);
      }
      matrix(b + "attn_output.weight", DIM, qDim, 1f);
      vector(b + "post_attention_norm.weight", DIM, 3f, 0.5f); // so attention weighs as much as the embedding

      norm(b + "ffn_norm.weight", DIM);
      matrix(b + "ffn_gate.weight", HIDDEN, DIM, 1.5f);
      matrix(b + "ffn_up.weight", HIDDEN, DIM, 1f);
      matrix(b + "ffn_down.weight", DIM, HIDDEN, 1f);
      vector(b + "post_ffw_norm.weight", DIM, 3f, 0.5f);
    }
  }

  /** token_embd (unit entries) and output_norm; a separate output matrix unless tied. */
  private void embeddingAndOutput(boolean separateOutput) {
    matrix("token_embd.weight", vocab, DIM, (float) Math.sqrt(DIM)); // entries ~ N(0, 1)
    norm("output_norm.weight", DIM);
    if (separateOutput) matrix("output.weight", vocab, DIM, 3f);
  }

  /** RMSNorm weights around 1 (Gemma's already include the +1), varied so a misuse shows. */
  private void norm(String name, int n) {
    vector(name, n, 1f, 0.3f);
  }

  private void vector(String name, int n, float mean, float sigma) {
    vector(name, n, mean, sigma, Float.NEGATIVE_INFINITY);
  }

  private void vector(String name, int n, float mean, float sigma, float min) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = Math.max(min, mean + sigma * (float) rnd.nextGaussian());
    // Norms, biases and factors stay F32, as converters write them.
    Llama2cConverter.vector(w, name, v);
  }

  /** rows × cols of N(0, (gain/sqrt(cols))²): outputs of about {@code gain} for unit inputs. */
  private void matrix(String name, int rows, int cols, float gain) {
    float sigma = gain / (float) Math.sqrt(cols);
    long rowBytes = type.byteSize(cols);
    SplittableRandom r = rnd.split();
    w.addTensor(name, type, new long[] {cols, rows}, out -> {
      float[] row = new float[cols];
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment buf = arena.allocate(rowBytes);
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) row[j] = (float) r.nextGaussian() * sigma;
          if (type == GgmlType.F32) {
            for (int j = 0; j < cols; j++) buf.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * j, row[j]);
          } else {
            Quantize.row(type, row, 0, buf, 0, cols);
          }
          out.write(buf);
        }
      }
    });
  }
}
