package ai.edgeai.llm.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * STREAM-style triad ({@code a[i] = b[i] + s * c[i]}) that measures sustainable memory bandwidth,
 * the figure that bounds LLM decode speed (every token streams all weights once).
 *
 * <p>Bytes are counted as STREAM does: 3 arrays x 8 bytes per element and pass (two reads and
 * one write; the write-allocate read of {@code a} is not counted), and GB/s means 10^9 bytes per
 * second. The best pass is reported, as in STREAM. For a meaningful figure each array must be
 * several times larger than the last-level cache.
 */
public final class MemoryBandwidth {

  /** Bytes STREAM counts per triad element: read b, read c, write a. */
  public static final int BYTES_PER_ELEMENT = 3 * Double.BYTES;

  /** The triad's scalar factor, as in STREAM. */
  public static final double SCALAR = 3.0;

  private MemoryBandwidth() {}

  /**
   * One measurement.
   *
   * @param threads threads that shared the arrays, each on its own contiguous slice
   * @param elementsPerArray length of each of the three arrays
   * @param passes timed passes; the best is reported
   * @param bestSeconds wall time of the fastest pass
   * @param gigabytesPerSecond {@code BYTES_PER_ELEMENT * elementsPerArray / bestSeconds / 1e9}
   */
  public record Result(
      int threads, int elementsPerArray, int passes, double bestSeconds, double gigabytesPerSecond) {
    public Result {
      if (threads < 1 || elementsPerArray < 1 || passes < 1 || !(bestSeconds > 0)) {
        throw new IllegalArgumentException("invalid bandwidth result: threads=" + threads
            + ", elements=" + elementsPerArray + ", passes=" + passes + ", seconds=" + bestSeconds);
      }
    }

    /** Bytes of one array. */
    public long bytesPerArray() {
      return (long) elementsPerArray * Double.BYTES;
    }
  }

  /** The triad over {@code [from, to)}: {@code a[i] = b[i] + scalar * c[i]}. */
  public static void triad(double[] a, double[] b, double[] c, double scalar, int from, int to) {
    if (a.length != b.length || a.length != c.length) {
      throw new IllegalArgumentException("arrays differ in length: "
          + a.length + ", " + b.length + ", " + c.length);
    }
    if (from < 0 || to > a.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + a.length);
    }
    for (int i = from; i < to; i++) {
      a[i] = b[i] + scalar * c[i];
    }
  }

  /**
   * Measures the triad single-threaded and then with {@code threads} threads on the same arrays
   * (allocated once, about {@code 24 * elementsPerArray} bytes of heap).
   *
   * @return the single-thread result first, then the multi-thread result (only one result when
   *     {@code threads == 1})
   * @throws IllegalStateException if the triad produced a wrong value (checked after timing)
   */
  public static List<Result> measure(int elementsPerArray, int threads, int passes) {
    if (elementsPerArray < 1 || threads < 1 || passes < 1) {
      throw new IllegalArgumentException("elementsPerArray, threads and passes must be positive: "
          + elementsPerArray + ", " + threads + ", " + passes);
    }
    double[] a = new double[elementsPerArray];
    double[] b = new double[elementsPerArray];
    double[] c = new double[elementsPerArray];
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "edgeai-triad");
      t.setDaemon(true);
      return t;
    });
    try {
      // Touch every page from the threads that will use it, as STREAM's parallel init does.
      runSliced(pool, threads, elementsPerArray, (from, to) -> fill(a, b, c, from, to));
      warmUp(a, b, c);
      List<Result> results = new ArrayList<>(2);
      results.add(timePasses(pool, 1, a, b, c, passes));
      if (threads > 1) {
        results.add(timePasses(pool, threads, a, b, c, passes));
      }
      verify(a, b, c);
      return List.copyOf(results);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Result timePasses(
      ExecutorService pool, int threads, double[] a, double[] b, double[] c, int passes) {
    int n = a.length;
    long best = Long.MAX_VALUE;
    for (int p = 0; p < passes; p++) {
      long start = System.nanoTime();
      if (threads == 1) {
        triad(a, b, c, SCALAR, 0, n);
      } else {
        runSliced(pool, threads, n, (from, to) -> triad(a, b, c, SCALAR, from, to));
      }
      best = Math.min(best, System.nanoTime() - start);
    }
    double seconds = Math.max(best, 1) / 1e9;
    return new Result(threads, n, passes, seconds, (double) BYTES_PER_ELEMENT * n / seconds / 1e9);
  }

  /** Gets the triad loop compiled by C2 on a cache-sized range before the timed passes. */
  private static void warmUp(double[] a, double[] b, double[] c) {
    int len = Math.min(a.length, 8192);
    for (int r = 0; r < 3000; r++) {
      triad(a, b, c, SCALAR, 0, len);
    }
  }

  private static void fill(double[] a, double[] b, double[] c, int from, int to) {
    for (int i = from; i < to; i++) {
      a[i] = 1.0;
      b[i] = 1.0 + (i & 7); // small integers and halves: the triad result is exact
      c[i] = 0.5 * (i & 3);
    }
  }

  private static void verify(double[] a, double[] b, double[] c) {
    for (int i = 0; i < a.length; i++) {
      double expected = (1.0 + (i & 7)) + SCALAR * (0.5 * (i & 3));
      if (a[i] != expected || b[i] != 1.0 + (i & 7)) {
        throw new IllegalStateException(
            "triad produced a wrong value at index " + i + ": " + a[i] + " (expected " + expected + ")");
      }
    }
  }

  private interface Slice {
    void run(int from, int to);
  }

  private static void runSliced(ExecutorService pool, int threads, int n, Slice slice) {
    List<Future<?>> futures = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int from = (int) ((long) n * t / threads);
      int to = (int) ((long) n * (t + 1) / threads);
      futures.add(pool.submit(() -> slice.run(from, to)));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring memory bandwidth", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("triad thread failed: " + e.getCause(), e.getCause());
      }
    }
  }
}
