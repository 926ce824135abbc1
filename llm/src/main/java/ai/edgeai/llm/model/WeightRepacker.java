package ai.edgeai.llm.model;

import ai.edgeai.llm.kernel.Q4Interleaved;
import ai.edgeai.llm.kernel.WorkerPool;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At load, copies the Q4_0 matrices into {@link Q4Interleaved}'s row-interleaved layout (off the
 * heap, as many bytes as the file holds for them) and hands the mapped originals' pages back to
 * the page cache, so resident memory stays about the file size. Skipped where the layout does not
 * pay off ({@link Q4Interleaved#worthwhile}: 128-bit or scalar kernels) or when
 * {@value #PROPERTY}{@code =false}.
 */
final class WeightRepacker {

  /** System property: {@code false} keeps every matrix in its GGUF layout. */
  static final String PROPERTY = "edgeai.llm.repack";

  /** The weights to run with, the memory that holds their copies (null when none), and what was done. */
  record Result(LlamaWeights weights, Arena arena, int matrices, long bytes, long millis) {
    String describe() {
      if (matrices == 0) return "weights in their file layout";
      return String.format("%d Q4_0 matrices repacked into 16-row groups (%.0f MB, %d ms)", matrices, bytes / 1e6, millis);
    }
  }

  /** Bytes of the original copied between two unloads. */
  private static final long SLICE_BYTES = 8L << 20;

  private WeightRepacker() {}

  static boolean enabled() {
    String v = System.getProperty(PROPERTY, "true").trim();
    if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(PROPERTY + " must be true or false, got '" + v + "'");
    return v.equals("true") && Q4Interleaved.worthwhile();
  }

  static Result repack(LlamaWeights w, WorkerPool pool) {
    if (!enabled()) return new Result(w, null, 0, 0, 0);
    long start = System.nanoTime();
    Arena arena = Arena.ofShared();
    try {
      Map<Tensor, Tensor> done = new IdentityHashMap<>();
      long[] bytes = {0};
      java.util.function.UnaryOperator<Tensor> f = t -> done.computeIfAbsent(t, k -> {
        Tensor r = one(k, arena, pool);
        if (r != k) bytes[0] += k.rowBytes() * k.rows();
        return r;
      });
      // Small matrices first: the copy loop is compiled by the time the large output matrix comes.
      Tensor[] wk = map(w.wk(), f), wv = map(w.wv(), f), wq = map(w.wq(), f), wo = map(w.wo(), f);
      Tensor[] w1 = map(w.w1(), f), w2 = map(w.w2(), f), w3 = map(w.w3(), f);
      Tensor output = f.apply(w.output());
      // A tied embedding is the output matrix; an untied one is only looked up row by row.
      Tensor embedding = w.tokenEmbedding() == w.output() ? output : w.tokenEmbedding();
      LlamaWeights out = new LlamaWeights(embedding, w.attnNorm(), wq, wk, wv, wo, w.ffnNorm(), w1, w2, w3, w.outputNorm(), output, w.ropeFreqFactors());
      int matrices = (int) done.entrySet().stream().filter(e -> e.getKey() != e.getValue()).count();
      // Reading a mapped page faults in its neighbours too (fault-around): drop again whatever of
      // the repacked originals came back while the next tensors were read.
      for (Map.Entry<Tensor, Tensor> e : done.entrySet()) {
        Tensor t = e.getKey();
        if (t != e.getValue() && t.data().isMapped()) t.data().asSlice(0, t.rowBytes() * t.rows()).unload();
      }
      if (matrices == 0) {
        arena.close();
        return new Result(w, null, 0, 0, 0);
      }
      return new Result(out, arena, matrices, bytes[0], (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  private static Tensor[] map(Tensor[] ts, java.util.function.UnaryOperator<Tensor> f) {
    Tensor[] out = new Tensor[ts.length];
    for (int i = 0; i < ts.length; i++) out[i] = f.apply(ts[i]);
    return out;
  }

  private static Tensor one(Tensor t, Arena arena, WorkerPool pool) {
    if (t.type() != GgmlType.Q4_0 || !Q4Interleaved.applies(t.rows(), t.cols())) return t;
    long size = Q4Interleaved.byteSize(t.rows(), t.cols());
    MemorySegment src = t.data();
    MemorySegment dst = arena.allocate(size, 64);
    AtomicBoolean finite = new AtomicBoolean(true);
    int groups = (int) (t.rows() / Q4Interleaved.ROWS);
    long groupBytes = Q4Interleaved.ROWS * t.rowBytes();
    // A few MB of the original at a time, its mapped pages let go (they stay in the page cache) as
    // soon as they are copied: resident memory never holds a whole matrix twice.
    int step = (int) Math.max(1, SLICE_BYTES / groupBytes);
    for (int g0 = 0; g0 < groups; g0 += step) {
      int first = g0, last = Math.min(groups, g0 + step);
      pool.parallelFor(last - first, (from, to) -> {
        if (!Q4Interleaved.repack(src, t.cols(), first + from, first + to, dst)) finite.set(false);
      });
      if (!finite.get()) return t; // an infinite or NaN scale: this matrix keeps its file layout
      if (src.isMapped()) src.asSlice(first * groupBytes, (last - first) * groupBytes).unload();
    }
    return t.withInterleaved(dst);
  }
}
