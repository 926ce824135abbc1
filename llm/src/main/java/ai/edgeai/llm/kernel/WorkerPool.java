package ai.edgeai.llm.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one dedicated thread pool. {@link #parallelFor} splits an index range into short
 * contiguous chunks ({@link #CHUNKS_PER_THREAD} per thread) that the threads (the caller among
 * them) claim in turn from a shared counter, and returns when all are done. Each chunk is a
 * contiguous run of weight rows (streamed well by the hardware prefetcher); having many lets a core
 * that runs faster (a big core on a big.LITTLE board, a vCPU whose neighbour is idle, a thread that
 * woke up first) take more of them instead of every call waiting for the slowest core's equal share.
 * Dispatch allocates nothing. A chunk that throws stops further claims; {@link #parallelFor}
 * rethrows the failure (the caller's own, if it had one) once every thread has left the task.
 *
 * <p>Workers are platform daemon threads; waiting threads (workers between calls, the caller for
 * the last chunk) spin for {@link #SPIN_NANOS} and then park.
 */
public final class WorkerPool implements AutoCloseable {

  /** Work over a half-open index range. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  /**
   * How long a waiting thread spins before it parks: 1 ms, longer than the sequential work between
   * two matrix products of a forward pass (norms, RoPE, attention), so within a forward pass no
   * thread sleeps. Waking a parked thread costs a futex call and, in a VM, an idle vCPU's wake-up;
   * with the earlier ~2 000-spin budget (microseconds) every matrix product paid it. On the 2-vCPU
   * Zen 4 VM, 3 alternating pairs: decode 13.7 / 14.0 / 13.9 tok/s against 12.4 / 12.3 / 12.2,
   * prefill 65.6 / 59.3 / 63.7 against 54.9 / 59.6 / 56.0 (docs/benchmarks.md). Between requests
   * the threads park after this long, so an idle engine costs no CPU.
   */
  static final long SPIN_NANOS = 1_000_000;
  /**
   * Chunks per thread: enough to even out cores of unequal speed, few enough to keep chunks long
   * (a 2048-row matrix on 2 threads: 64 chunks of 32 rows, 36 KB of Q4_0 each). Chosen by
   * measurement on a 2-vCPU Zen 4 VM whose cores run at uneven speeds: decode of a 1B Q4_0 model,
   * 6 alternating runs, median 9.9 tok/s with one equal chunk per thread, 12.1 with 4 per thread;
   * 12 and 32 per thread measured alike or slightly better (docs/benchmarks.md).
   */
  static final int CHUNKS_PER_THREAD = 32;
  /**
   * Chunk boundaries are multiples of this (unless the range ends first): the decode kernels walk
   * rows in groups of 16 and the prefill GEMM dequantizes 4 rows at a time.
   */
  public static final int CHUNK_ALIGN = 16;

  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger nextChunk = new AtomicInteger();
  private volatile long generation;
  private volatile boolean closed;
  private volatile Thread caller;
  private RangeTask task;
  private int size;
  private int chunkSize;
  private int chunkCount;
  private volatile Throwable failure;

  /** A pool of {@code threads} threads in all (the caller counts as one). */
  public WorkerPool(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      Thread t = new Thread(this::workerLoop, "edgeai-llm-" + (i + 1));
      t.setDaemon(true);
      workers[i] = t;
      t.start();
    }
  }

  /** Threads in all, the caller included. */
  public int threads() {
    return workers.length + 1;
  }

  /** Runs {@code task} over [0, n) split across the pool; returns when every chunk is done. */
  public void parallelFor(int n, RangeTask task) {
    parallelFor(n, CHUNK_ALIGN, task);
  }

  /**
   * As {@link #parallelFor(int, RangeTask)}, with chunk boundaries at multiples of {@code align}
   * instead of {@link #CHUNK_ALIGN}, for items that are not weight rows: attention heads go in
   * groups sharing a KV head (14 or 24 heads would otherwise make one or two uneven chunks).
   */
  public synchronized void parallelFor(int n, int align, RangeTask task) {
    if (align < 1) throw new IllegalArgumentException("chunk alignment must be >= 1, got " + align);
    if (closed) throw new IllegalStateException("worker pool is closed");
    if (n < 0) throw new IllegalArgumentException("range size must be >= 0, got " + n);
    if (n == 0) return;
    int t = threads();
    if (t == 1 || n < 2) {
      task.run(0, n);
      return;
    }
    this.task = task;
    this.size = n;
    int chunk = ceilDiv(n, t * CHUNKS_PER_THREAD);
    this.chunkSize = ceilDiv(chunk, align) * align;
    this.chunkCount = ceilDiv(n, chunkSize);
    this.caller = Thread.currentThread();
    nextChunk.set(0);
    pending.set(t);
    generation++; // volatile write publishes task, size and the chunking
    for (Thread w : workers) LockSupport.unpark(w);
    Throwable own = null;
    try {
      runChunks();
    } catch (Throwable e) {
      own = e;
      nextChunk.set(chunkCount); // the others stop claiming
    }
    // Even after a failure, return only once no worker still runs a chunk of this task.
    if (pending.decrementAndGet() != 0) {
      long deadline = 0;
      for (int spins = 1; pending.get() != 0; spins++) deadline = backOff(deadline, spins);
    }
    this.task = null;
    Throwable f = own != null ? own : failure;
    failure = null;
    if (f != null) {
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error e) throw e;
      throw new IllegalStateException(f);
    }
  }

  /**
   * One step of a wait: spin, and once {@link #SPIN_NANOS} have passed since the wait's first
   * clock reading ({@code deadline} 0 until then), park. Reads the clock every 64 steps. Returns
   * the deadline to pass to the next step.
   */
  private long backOff(long deadline, int spins) {
    if ((spins & 63) != 0) {
      Thread.onSpinWait();
      return deadline;
    }
    long now = System.nanoTime();
    if (deadline == 0) return now + SPIN_NANOS;
    if (now - deadline > 0) LockSupport.park(this);
    return deadline;
  }

  /** Claims and runs chunks until none is left. */
  private void runChunks() {
    int n = size;
    int cs = chunkSize;
    int count = chunkCount;
    RangeTask t = task;
    int c;
    while ((c = nextChunk.getAndIncrement()) < count) {
      int from = c * cs;
      t.run(from, Math.min(n, from + cs));
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private void workerLoop() {
    long seen = 0;
    while (true) {
      long deadline = 0;
      long g;
      for (int spins = 1; (g = generation) == seen; spins++) {
        if (closed) return;
        deadline = backOff(deadline, spins);
      }
      seen = g;
      if (closed) return;
      try {
        runChunks();
      } catch (Throwable e) {
        failure = e;
        nextChunk.set(chunkCount); // the others stop claiming
      } finally {
        if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) LockSupport.unpark(w);
  }
}
