package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  @Test
  void everyIndexRunsExactlyOnceInAlignedChunks() {
    for (int threads : new int[] {1, 2, 3, 4}) {
      try (WorkerPool pool = new WorkerPool(threads)) {
        for (int n : new int[] {0, 1, 2, 15, 16, 17, 100, 2048, 8193, 128_256}) {
          AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
          pool.parallelFor(n, (from, to) -> {
            assertTrue(from < to, "empty chunk [" + from + ", " + to + ")");
            if (threads > 1 && n >= 2) assertEquals(0, from % WorkerPool.CHUNK_ALIGN, "chunk start " + from + " of " + n);
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
          });
          for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n + " with " + threads + " threads");
        }
      }
    }
  }

  /** Unaligned chunks (attention heads): every index once, and a few items still reach every thread. */
  @Test
  void unalignedChunksSpreadFewItemsOverTheThreads() throws Exception {
    try (WorkerPool pool = new WorkerPool(2)) {
      for (int n : new int[] {1, 2, 14, 24, 32}) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(Math.min(2, n));
        pool.parallelFor(n, 1, (from, to) -> {
          if (seen.add(Thread.currentThread())) {
            both.countDown();
            try { // hold the first chunk until the other thread has one too, so both must take part
              both.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
        assertEquals(Math.min(2, n), seen.size(), n + " items on " + seen.size() + " threads");
      }
      assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(4, 0, (from, to) -> { }));
    }
  }

  /** A thread stuck in one chunk does not hold back the rest: the others claim the remaining chunks. */
  @Test
  void slowThreadLeavesItsShareToTheOthers() throws Exception {
    try (WorkerPool pool = new WorkerPool(2)) {
      int n = 2 * WorkerPool.CHUNKS_PER_THREAD * WorkerPool.CHUNK_ALIGN * 4;
      Set<String> runners = ConcurrentHashMap.newKeySet();
      AtomicInteger bySlow = new AtomicInteger();
      AtomicIntegerArray byChunk = new AtomicIntegerArray(n);
      // The first thread into a chunk sleeps there (holding no lock, so the other is not blocked).
      AtomicReference<Thread> slow = new AtomicReference<>();
      pool.parallelFor(n, (from, to) -> {
        if (slow.compareAndSet(null, Thread.currentThread())) {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        runners.add(Thread.currentThread().getName());
        if (Thread.currentThread() == slow.get()) bySlow.addAndGet(to - from);
        for (int i = from; i < to; i++) byChunk.incrementAndGet(i);
      });
      for (int i = 0; i < n; i++) assertEquals(1, byChunk.get(i), "index " + i);
      assertEquals(2, runners.size(), "both threads ran chunks: " + runners);
      // An equal split would leave half of the range to the sleeping thread.
      assertTrue(bySlow.get() < n / 2, "the sleeping thread ran " + bySlow.get() + " of " + n + " indices");
    }
  }

  @Test
  void failureInAChunkIsRethrownToTheCaller() {
    try (WorkerPool pool = new WorkerPool(2)) {
      IllegalStateException boom = new IllegalStateException("boom");
      var thrown = assertThrows(IllegalStateException.class, () -> pool.parallelFor(4096, (from, to) -> {
        if (from == 0) throw boom;
      }));
      assertSame(boom, thrown);
      // The pool stays usable.
      AtomicIntegerArray hits = new AtomicIntegerArray(64);
      pool.parallelFor(64, (from, to) -> {
        for (int i = from; i < to; i++) hits.incrementAndGet(i);
      });
      for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i));
    }
  }

  /** The caller's own chunk fails while the worker is still busy: parallelFor waits for it before throwing. */
  @Test
  void failureReturnsOnlyWhenNoChunkIsStillRunning() {
    try (WorkerPool pool = new WorkerPool(2)) {
      Thread caller = Thread.currentThread();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger runningAtReturn = new AtomicInteger(-1);
      try {
        pool.parallelFor(4096, (from, to) -> {
          if (Thread.currentThread() == caller) throw new IllegalStateException("caller's chunk " + from);
          running.incrementAndGet();
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            running.decrementAndGet();
          }
        });
      } catch (IllegalStateException expected) {
        runningAtReturn.set(running.get());
      }
      assertEquals(0, runningAtReturn.get(), "chunks still running when parallelFor threw (-1: it did not throw)");
    }
  }

  @Test
  void closedPoolRefusesWork() {
    WorkerPool pool = new WorkerPool(2);
    pool.close();
    assertThrows(IllegalStateException.class, () -> pool.parallelFor(10, (from, to) -> {}));
  }
}
