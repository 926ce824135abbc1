package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufArray;
import ai.edgeai.llm.gguf.GgufValueType;
import ai.edgeai.llm.gguf.GgufWriter;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import ai.edgeai.llm.tokenizer.Llama2cTokenizer;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Converts a llama2.c checkpoint and its tokenizer.bin to an F32 GGUF with the metadata and tensor
 * names llama.cpp's {@code llama-convert-llama2c-to-ggml} writes: a SentencePiece ({@code llama})
 * vocabulary with "▁" for spaces, token types (unknown, control, byte, normal) and the scores.
 * Unlike that converter, {@code llama.context_length} is the checkpoint's real seq_len, and a
 * shared classifier is stored once (readers fall back to {@code token_embd}).
 */
public final class Llama2cConverter {

  private Llama2cConverter() {}

  public static void convert(Path checkpoint, Path tokenizerBin, Path out) throws IOException {
    try (LlamaModel m = Llama2cCheckpoint.load(checkpoint, 1)) {
      LlamaConfig c = m.config();
      Llama2cTokenizer tok = Llama2cTokenizer.read(tokenizerBin, c.vocabSize());
      GgufWriter w = new GgufWriter();
      w.putString("general.architecture", "llama");
      w.putString("general.name", fileStem(checkpoint));
      int n = c.vocabSize();
      String[] tokens = new String[n];
      float[] scores = new float[n];
      int[] types = new int[n];
      for (int i = 0; i < n; i++) {
        String p = tok.piece(i);
        scores[i] = tok.score(i);
        if (i == tok.bos()) {
          tokens[i] = "<s>";
          types[i] = 3;
        } else if (i == tok.eos()) {
          tokens[i] = "</s>";
          types[i] = 3;
        } else if (i == 0) {
          tokens[i] = p;
          types[i] = 2;
        } else if (p.length() == 6 && p.startsWith("<0x") && p.endsWith(">")) {
          tokens[i] = p;
          types[i] = 6;
        } else {
          tokens[i] = p.replace(' ', '\u2581');
          types[i] = 1;
        }
      }
      w.putString("tokenizer.ggml.model", "llama");
      w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens));
      w.putArray("tokenizer.ggml.scores", new GgufArray(GgufValueType.FLOAT32, scores));
      w.putArray("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, types));
      w.putUint32("tokenizer.ggml.unknown_token_id", 0);
      w.putUint32("tokenizer.ggml.bos_token_id", tok.bos());
      w.putUint32("tokenizer.ggml.eos_token_id", tok.eos());
      w.putUint32("llama.context_length", c.contextLength());
      w.putUint32("llama.embedding_length", c.dim());
      w.putUint32("llama.feed_forward_length", c.hiddenDim());
      w.putUint32("llama.attention.head_count", c.heads());
      w.putUint32("llama.attention.head_count_kv", c.kvHeads());
      w.putUint32("llama.block_count", c.layers());
      w.putUint32("llama.rope.dimension_count", c.ropeDims());
      w.putFloat32("llama.attention.layer_norm_rms_epsilon", c.rmsEps());
      w.putUint32("general.file_type", 0);

      LlamaWeights wt = m.weights();
      matrix(w, "token_embd.weight", wt.tokenEmbedding());
      vector(w, "output_norm.weight", wt.outputNorm());
      if (wt.output() != wt.tokenEmbedding()) matrix(w, "output.weight", wt.output());
      for (int l = 0; l < c.layers(); l++) {
        String b = "blk." + l + ".";
        matrix(w, b + "attn_q.weight", wt.wq()[l]);
        matrix(w, b + "attn_k.weight", wt.wk()[l]);
        matrix(w, b + "attn_v.weight", wt.wv()[l]);
        matrix(w, b + "attn_output.weight", wt.wo()[l]);
        vector(w, b + "attn_norm.weight", wt.attnNorm()[l]);
        matrix(w, b + "ffn_gate.weight", wt.w1()[l]);
        matrix(w, b + "ffn_down.weight", wt.w2()[l]);
        matrix(w, b + "ffn_up.weight", wt.w3()[l]);
        vector(w, b + "ffn_norm.weight", wt.ffnNorm()[l]);
      }
      w.write(out);
    }
  }

  private static void matrix(GgufWriter w, String name, Tensor t) {
    w.addTensor(name, GgmlType.F32, new long[] {t.cols(), t.rows()}, t.data().asSlice(0, t.rowBytes() * t.rows()));
  }

  static void vector(GgufWriter w, String name, float[] v) {
    ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) bb.putFloat(f);
    w.addTensor(name, GgmlType.F32, new long[] {v.length}, MemorySegment.ofArray(bb.array()));
  }

  private static String fileStem(Path p) {
    String s = p.getFileName().toString();
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }
}
