package ai.edgeai.llm.model;

import ai.edgeai.llm.kernel.Q4Interleaved;
import ai.edgeai.llm.kernel.Q8Interleaved;
import ai.edgeai.llm.kernel.WorkerPool;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * At load, places the matrices the kernels read (attention, feed-forward, output; not an untied
 * token embedding, which is only looked up a row at a time) in {@link AnonymousMemory}: Q4_0 and
 * Q8_0 matrices repacked into 16-row groups ({@link Q4Interleaved}, {@link Q8Interleaved}) where
 * that layout pays off ({@code worthwhile()}), every other matrix copied in its file layout. The bytes come
 * from positional reads of the file, not through its mapping (which stays, untouched, for the
 * rest), so resident memory stays about the file size; the reads are split over the worker pool.
 *
 * <p>Why copy at all, when the weights are memory-mapped: the copies are read several times faster
 * on machines where mapped file pages are slow to reach (see {@link AnonymousMemory}), and never
 * slower. {@value #MMAP_PROPERTY}{@code =true} keeps the matrices that are not repacked in the
 * mapping (least memory when the page cache is shared with other processes);
 * {@value #REPACK_PROPERTY}{@code =false} keeps Q4_0 and Q8_0 in their file layout.
 */
final class ResidentWeights {

  /** System property: {@code false} keeps Q4_0 and Q8_0 matrices in their GGUF layout. */
  static final String REPACK_PROPERTY = "edgeai.llm.repack";
  /** System property: {@code true} reads the matrices that are not repacked in place from the file mapping. */
  static final String MMAP_PROPERTY = "edgeai.llm.mmap";

  /** The weights to run with, the memory that holds their copies (null when none), and what was done. */
  record Result(LlamaWeights weights, Arena arena, int repacked, int copied, long bytes, long millis, boolean hugePages) {
    String describe() {
      if (repacked + copied == 0) return "weights memory-mapped in their file layout";
      StringBuilder s = new StringBuilder();
      if (repacked > 0) s.append(repacked).append(" matrices repacked into 16-row groups");
      if (copied > 0) s.append(s.isEmpty() ? "" : ", ").append(copied).append(" matrices copied in their file layout");
      return s.append(String.format(" (%.0f MB in %s memory, %d ms)", bytes / 1e6, hugePages ? "huge-page" : "anonymous", millis)).toString();
    }
  }

  /** Bytes per read (and per repacking step). */
  private static final long SLICE_BYTES = 8L << 20;
  /** Each copy starts on its own page. */
  private static final long ALIGN = 4096;

  private ResidentWeights() {}

  static boolean repackEnabled() {
    return booleanProperty(REPACK_PROPERTY, true);
  }

  /** True when the kernels here have a 16-row interleaved layout for {@code t} that pays off. */
  private static boolean interleaves(Tensor t) {
    return switch (t.type()) {
      case Q4_0 -> Q4Interleaved.worthwhile() && Q4Interleaved.applies(t.rows(), t.cols());
      case Q8_0 -> Q8Interleaved.worthwhile() && Q8Interleaved.applies(t.rows(), t.cols());
      default -> false;
    };
  }

  static boolean copyEnabled() {
    return !booleanProperty(MMAP_PROPERTY, false);
  }

  private static boolean booleanProperty(String name, boolean fallback) {
    String v = System.getProperty(name, Boolean.toString(fallback)).trim();
    if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
    return v.equals("true");
  }

  /**
   * Places {@code w}'s matrices. {@code file} and {@code fileBytes} (its whole mapping) say where
   * the tensors' bytes can be read with positional reads; either may be null (weights in memory),
   * and then the bytes are copied from the tensors' segments.
   */
  static Result place(LlamaWeights w, WorkerPool pool, Path file, MemorySegment fileBytes) {
    boolean repack = repackEnabled();
    boolean copy = copyEnabled();
    if (!repack && !copy) return new Result(w, null, 0, 0, 0, 0, false);
    long start = System.nanoTime();
    // Which matrices to place, each once (a tied output matrix is the embedding), and where.
    Map<Tensor, Plan> plans = new IdentityHashMap<>();
    List<Plan> order = new ArrayList<>();
    long[] total = {0};
    UnaryOperator<Tensor> plan = t -> {
      Plan p = plans.get(t);
      if (p == null) {
        boolean interleave = repack && interleaves(t);
        if (!interleave && !copy) return t;
        p = new Plan(t, interleave, total[0]);
        total[0] += (p.bytes() + ALIGN - 1) / ALIGN * ALIGN;
        plans.put(t, p);
        order.add(p);
      }
      return t;
    };
    forEachMatrix(w, plan);
    if (order.isEmpty()) return new Result(w, null, 0, 0, 0, 0, false);

    Arena arena = Arena.ofShared();
    try (Source source = Source.open(file, fileBytes)) {
      MemorySegment memory = AnonymousMemory.allocate(total[0], arena);
      List<Slice> slices = new ArrayList<>();
      for (Plan p : order) {
        p.copy = memory.asSlice(p.offset, p.bytes());
        // Repacking works on whole row groups: slices of whole groups.
        long unit = p.interleave ? 16 * p.tensor.rowBytes() : 1;
        long step = Math.max(unit, SLICE_BYTES / unit * unit);
        for (long at = 0; at < p.bytes(); at += step) slices.add(new Slice(p, at, Math.min(step, p.bytes() - at)));
      }
      long staged = slices.stream().filter(x -> x.plan.interleave).mapToLong(Slice::length).max().orElse(0);
      try (Arena staging = Arena.ofShared()) {
        // The repacker's input, one buffer per pool thread (the pool rethrows a thread's failure).
        ThreadLocal<MemorySegment> buffers = ThreadLocal.withInitial(() -> staging.allocate(staged, 64));
        pool.parallelFor(slices.size(), (from, to) -> {
          for (int i = from; i < to; i++) {
            Slice s = slices.get(i);
            MemorySegment dst = s.plan.copy.asSlice(s.offset, s.length);
            if (!s.plan.interleave) {
              source.read(s.plan.tensor.data(), s.offset, dst);
              continue;
            }
            MemorySegment in = buffers.get().asSlice(0, s.length);
            source.read(s.plan.tensor.data(), s.offset, in);
            long groups = s.length / (16 * s.plan.tensor.rowBytes());
            int cols = s.plan.tensor.cols();
            boolean done = s.plan.tensor.type() == GgmlType.Q4_0 ? Q4Interleaved.repack(in, cols, 0, groups, dst) : Q8Interleaved.repack(in, cols, 0, groups, dst);
            // An infinite or NaN scale: this matrix keeps its file layout (the kernels' scale
            // conversion is exact for finite values only).
            if (!done) s.plan.unrepackable = true;
          }
        });
      }

      int repacked = 0, copied = 0;
      long bytes = 0;
      Map<Tensor, Tensor> placed = new IdentityHashMap<>();
      for (Plan p : order) {
        if (p.unrepackable) continue; // stays in the mapping, in its file layout
        Tensor t = p.tensor;
        placed.put(t, p.interleave ? t.withInterleaved(p.copy) : new Tensor(t.name(), t.type(), t.rows(), t.cols(), p.copy));
        if (p.interleave) repacked++;
        else copied++;
        bytes += p.bytes();
      }
      if (placed.isEmpty()) {
        arena.close();
        return new Result(w, null, 0, 0, 0, 0, false);
      }
      LlamaWeights out = forEachMatrix(w, t -> placed.getOrDefault(t, t));
      return new Result(out, arena, repacked, copied, bytes, (System.nanoTime() - start) / 1_000_000, AnonymousMemory.hugePages());
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /** {@code w} with {@code f} applied to each matrix the kernels read (the embedding only when tied to the output). */
  private static LlamaWeights forEachMatrix(LlamaWeights w, UnaryOperator<Tensor> f) {
    Tensor[] wk = map(w.wk(), f), wv = map(w.wv(), f), wq = map(w.wq(), f), wo = map(w.wo(), f);
    Tensor[] w1 = map(w.w1(), f), w2 = map(w.w2(), f), w3 = map(w.w3(), f);
    Tensor output = f.apply(w.output());
    Tensor embedding = w.tokenEmbedding() == w.output() ? output : w.tokenEmbedding();
    return new LlamaWeights(embedding, w.attnNorm(), wq, wk, wv, wo, w.ffnNorm(), w1, w2, w3, w.outputNorm(), output, w.ropeFreqFactors());
  }

  private static Tensor[] map(Tensor[] ts, UnaryOperator<Tensor> f) {
    Tensor[] out = new Tensor[ts.length];
    for (int i = 0; i < ts.length; i++) out[i] = f.apply(ts[i]);
    return out;
  }

  /** One matrix: repacked or copied, at {@code offset} of the shared memory. */
  private static final class Plan {
    final Tensor tensor;
    final boolean interleave;
    final long offset;
    MemorySegment copy;
    volatile boolean unrepackable;

    Plan(Tensor tensor, boolean interleave, long offset) {
      this.tensor = tensor;
      this.interleave = interleave;
      this.offset = offset;
    }

    long bytes() {
      return tensor.rowBytes() * tensor.rows();
    }
  }

  private record Slice(Plan plan, long offset, long length) {}

  /**
   * Where tensor bytes are read from: positional reads of the file for slices of its mapping
   * (reading through the mapping can be many times slower, see {@link AnonymousMemory}), plain
   * copies otherwise.
   */
  private static final class Source implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final MemorySegment fileBytes;

    private Source(Path file, FileChannel channel, MemorySegment fileBytes) {
      this.file = file;
      this.channel = channel;
      this.fileBytes = fileBytes;
    }

    static Source open(Path file, MemorySegment fileBytes) {
      if (file == null || fileBytes == null) return new Source(file, null, null);
      try {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        // The mapping is what was parsed and checked: read the file only if it is still that file
        // (same size, same first bytes), else copy through the mapping.
        long probe = Math.min(4096, fileBytes.byteSize());
        ByteBuffer head = ByteBuffer.allocate((int) probe);
        while (head.hasRemaining() && ch.read(head, head.position()) >= 0) {}
        if (ch.size() != fileBytes.byteSize() || head.hasRemaining()
            || MemorySegment.ofBuffer(head.flip()).mismatch(fileBytes.asSlice(0, probe)) != -1) {
          ch.close();
          return new Source(file, null, null);
        }
        return new Source(file, ch, fileBytes);
      } catch (IOException e) {
        return new Source(file, null, null);
      }
    }

    /** Copies {@code dst.byteSize()} bytes of {@code data} from {@code offset} into {@code dst}. */
    void read(MemorySegment data, long offset, MemorySegment dst) {
      long at = data.address() - (fileBytes == null ? 0 : fileBytes.address());
      if (channel == null || at < 0 || at + data.byteSize() > fileBytes.byteSize()) {
        MemorySegment.copy(data, offset, dst, 0, dst.byteSize());
        return;
      }
      long position = at + offset;
      ByteBuffer buffer = dst.asByteBuffer();
      try {
        while (buffer.hasRemaining()) {
          int n = channel.read(buffer, position + buffer.position());
          if (n < 0) throw new EOFException(file + ": ended at byte " + (position + buffer.position()) + " while reading weights");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": reading weights: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (channel == null) return;
      try {
        channel.close();
      } catch (IOException e) {
        // read-only channel: nothing was written that could be lost
      }
    }
  }
}
