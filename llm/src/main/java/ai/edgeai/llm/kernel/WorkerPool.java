package ai.edgeai.llm.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one dedicated thread pool. {@link #parallelFor} splits an index range into one
 * contiguous chunk per thread (so each thread streams its own slice of a weight matrix), runs the
 * last chunk on the calling thread and returns when all are done. Dispatch allocates nothing.
 *
 * <p>Workers are platform daemon threads that spin briefly and then park between calls.
 */
public final class WorkerPool implements AutoCloseable {

  /** Work over a half-open index range. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  private static final int SPINS = 2_000;

  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile long generation;
  private volatile boolean closed;
  private volatile Thread caller;
  private RangeTask task;
  private int size;
  private volatile Throwable failure;

  /** A pool of {@code threads} threads in all (the caller counts as one). */
  public WorkerPool(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      final int index = i;
      Thread t = new Thread(() -> workerLoop(index), "edgeai-llm-" + (i + 1));
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
  public synchronized void parallelFor(int n, RangeTask task) {
    if (closed) throw new IllegalStateException("worker pool is closed");
    int t = threads();
    if (t == 1 || n < 2) {
      task.run(0, n);
      return;
    }
    this.task = task;
    this.size = n;
    this.caller = Thread.currentThread();
    pending.set(t);
    generation++; // volatile write publishes task and size
    for (Thread w : workers) LockSupport.unpark(w);
    runChunk(t - 1, t);
    if (pending.decrementAndGet() != 0) {
      int spins = 0;
      while (pending.get() != 0) {
        if (++spins < SPINS) Thread.onSpinWait();
        else LockSupport.park(this);
      }
    }
    this.task = null;
    Throwable f = failure;
    if (f != null) {
      failure = null;
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error e) throw e;
      throw new IllegalStateException(f);
    }
  }

  private void runChunk(int index, int t) {
    int n = size;
    int from = (int) ((long) n * index / t);
    int to = (int) ((long) n * (index + 1) / t);
    if (from < to) task.run(from, to);
  }

  private void workerLoop(int index) {
    long seen = 0;
    while (true) {
      int spins = 0;
      long g;
      while ((g = generation) == seen) {
        if (closed) return;
        if (++spins < SPINS) Thread.onSpinWait();
        else LockSupport.park(this);
      }
      seen = g;
      if (closed) return;
      try {
        runChunk(index, threads());
      } catch (Throwable e) {
        failure = e;
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
