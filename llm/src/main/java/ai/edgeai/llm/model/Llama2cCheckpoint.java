package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.ModelFormatException;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reader for llama2.c checkpoints in the legacy (version 0) layout that run.c reads: a header of
 * seven int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len) followed by the
 * float32 weights. A negative vocab_size means the classifier is stored separately at the end; a
 * positive one means it shares the token embedding.
 *
 * <p>Weight order after the header (each per layer block is layers × matrix, run.c's
 * {@code memory_map_weights}): token_embedding [vocab][dim], rms_att [L][dim], wq [L][dim][dim],
 * wk [L][kv_dim][dim], wv [L][kv_dim][dim], wo [L][dim][dim], rms_ffn [L][dim],
 * w1 [L][hidden][dim], w2 [L][dim][hidden], w3 [L][hidden][dim], rms_final [dim], two obsolete RoPE
 * tables of seq_len × head_size/2 each (skipped), then wcls [vocab][dim] when not shared.
 */
public final class Llama2cCheckpoint {

  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final int HEADER_BYTES = 7 * 4;
  // Bounds that keep every size computation below 2^63 and reject garbage headers early.
  private static final int MAX_DIM = 1 << 18;
  private static final int MAX_LAYERS = 1 << 12;

  private Llama2cCheckpoint() {}

  /** Memory-maps and validates a checkpoint; the returned model owns the mapping. */
  public static LlamaModel load(Path path, int threads) throws IOException {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment seg;
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      }
      LlamaModel m = build(path, seg, arena, threads);
      return m;
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static LlamaModel build(Path path, MemorySegment seg, Arena arena, int threads) {
    if (seg.byteSize() < HEADER_BYTES) {
      throw new ModelFormatException(path, "not a llama2.c checkpoint: " + seg.byteSize() + " bytes is shorter than the 28-byte header");
    }
    int[] h = new int[7];
    String[] names = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
    for (int i = 0; i < 7; i++) h[i] = seg.get(I32, 4L * i);
    boolean shared = h[5] > 0;
    int vocab = Math.abs(h[5]);
    if (h[5] == Integer.MIN_VALUE) vocab = -1;
    for (int i = 0; i < 7; i++) {
      int v = i == 5 ? vocab : h[i];
      int max = i == 5 || i == 6 ? 1 << 24 : i == 2 ? MAX_LAYERS : MAX_DIM;
      if (v <= 0 || v > max) {
        throw new ModelFormatException(path, "llama2.c header field '" + names[i] + "' = " + h[i] + " is out of range (is this a llama2.c checkpoint?)");
      }
    }
    int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], seqLen = h[6];
    if (dim % heads != 0) throw new ModelFormatException(path, "llama2.c header: dim " + dim + " is not a multiple of n_heads " + heads);
    if (heads % kvHeads != 0) throw new ModelFormatException(path, "llama2.c header: n_heads " + heads + " is not a multiple of n_kv_heads " + kvHeads);
    int headSize = dim / heads;
    if (headSize % 2 != 0) throw new ModelFormatException(path, "llama2.c header: head size " + headSize + " is odd");
    int kvDim = dim * kvHeads / heads;

    LlamaConfig config = new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, seqLen, headSize, headSize, 10000f, 1f, 1e-5f);

    // Compute the exact size the file must have, with overflow checks, before slicing anything.
    long perLayerFloats = 0;
    long L = layers;
    long need;
    try {
      need = Math.addExact(HEADER_BYTES, 4 * Math.addExact(
          Math.multiplyExact((long) vocab, dim) // embedding
              + L * dim // rms_att
              + L * dim * dim + 2 * L * (long) kvDim * dim + L * dim * dim // wq wk wv wo
              + L * dim // rms_ffn
              + 3 * L * (long) hidden * dim // w1 w2 w3
              + dim // rms_final
              + (long) seqLen * headSize, // freq_cis_real + imag (seq_len * head_size/2 each)
          shared ? 0 : (long) vocab * dim));
    } catch (ArithmeticException e) {
      throw new ModelFormatException(path, "llama2.c header describes a model too large to address");
    }
    if (seg.byteSize() < need) {
      throw new ModelFormatException(path, "llama2.c checkpoint is truncated: header describes " + need + " bytes, file has " + seg.byteSize());
    }
    if (seg.byteSize() > need) {
      throw new ModelFormatException(path, "llama2.c checkpoint has " + (seg.byteSize() - need) + " unexpected trailing bytes (new-format checkpoints with a magic header are not supported; export with the legacy format)");
    }

    Cursor c = new Cursor(seg, HEADER_BYTES);
    Tensor emb = c.matrix("token_embedding_table", vocab, dim);
    float[][] attnNorm = c.vectors("rms_att_weight", layers, dim);
    Tensor[] wq = c.matrices("wq", layers, dim, dim);
    Tensor[] wk = c.matrices("wk", layers, kvDim, dim);
    Tensor[] wv = c.matrices("wv", layers, kvDim, dim);
    Tensor[] wo = c.matrices("wo", layers, dim, dim);
    float[][] ffnNorm = c.vectors("rms_ffn_weight", layers, dim);
    Tensor[] w1 = c.matrices("w1", layers, hidden, dim);
    Tensor[] w2 = c.matrices("w2", layers, dim, hidden);
    Tensor[] w3 = c.matrices("w3", layers, hidden, dim);
    float[] finalNorm = c.vectors("rms_final_weight", 1, dim)[0];
    c.skip(4L * seqLen * headSize); // obsolete freq_cis_real and freq_cis_imag
    Tensor wcls = shared ? emb : c.matrix("wcls", vocab, dim);
    LlamaWeights w = new LlamaWeights(emb, attnNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, finalNorm, wcls, null);
    return new LlamaModel(path, LlamaModel.ModelSource.LLAMA2C, config, w, arena::close, seg, threads);
  }

  /** Walks the float32 weights in file order. */
  private static final class Cursor {
    private final MemorySegment seg;
    private long pos;

    Cursor(MemorySegment seg, long pos) {
      this.seg = seg;
      this.pos = pos;
    }

    Tensor matrix(String name, long rows, int cols) {
      long bytes = 4L * rows * cols;
      Tensor t = new Tensor(name, GgmlType.F32, rows, cols, seg.asSlice(pos, bytes));
      pos += bytes;
      return t;
    }

    Tensor[] matrices(String name, int layers, int rows, int cols) {
      Tensor[] out = new Tensor[layers];
      for (int l = 0; l < layers; l++) out[l] = matrix(name + "[" + l + "]", rows, cols);
      return out;
    }

    float[][] vectors(String name, int count, int n) {
      float[][] out = new float[count][];
      for (int i = 0; i < count; i++) out[i] = matrix(name, 1, n).toFloatArray();
      return out;
    }

    void skip(long bytes) {
      pos += bytes;
    }
  }
}
