package ai.edgeai.node.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

  @TempDir Path dir;
  final List<String> problems = new ArrayList<>();

  private Outbox open(long maxBytes, long segmentBytes) throws Exception {
    return Outbox.open(dir, new Outbox.Settings(maxBytes, segmentBytes, FsyncPolicy.BATCH, 50, 100), problems::add);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> drain(Outbox o) {
    List<String> out = new ArrayList<>();
    long cursor = -1;
    for (var m = o.next(cursor); m.isPresent(); m = o.next(cursor)) {
      out.add(new String(m.get().payload(), StandardCharsets.UTF_8));
      cursor = m.get().seq();
    }
    return out;
  }

  /**
   * A sender waiting for appends while producers append and acknowledge: no deadlock and no missed
   * wake-up (an earlier awaitAppend took the signal lock before the outbox's, append the other way
   * round, and a node's close hung on it). Every message is seen by the waiting consumer.
   */
  @Test
  void waitingConsumerAndConcurrentProducersNeitherDeadlockNorMissMessages() throws Exception {
    Outbox o = open(64 << 20, 1 << 20);
    int producers = 3, perProducer = 2_000;
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    // Daemon threads, and no close while one is stuck: a deadlock fails the test instead of hanging it.
    Thread consumer = Thread.ofPlatform().daemon(true).start(() -> {
      long cursor = -1;
      try {
        while (seen.get() < producers * perProducer) {
          o.awaitAppend(cursor, 1_000);
          for (var m = o.next(cursor); m.isPresent(); m = o.next(cursor)) {
            cursor = m.get().seq();
            o.ack(cursor);
            seen.incrementAndGet();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      threads.add(Thread.ofPlatform().daemon(true).start(() -> {
        for (int i = 0; i < perProducer; i++) {
          o.append("t/" + id, b(id + ":" + i), false, Priority.NORMAL);
          // A short pause so the consumer catches up and waits, which is where the lock orders met.
          java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
      }));
    }
    for (Thread t : threads) t.join(30_000);
    consumer.join(30_000);
    long stuck = threads.stream().filter(Thread::isAlive).count() + (consumer.isAlive() ? 1 : 0);
    assertEquals(0, stuck, "threads still blocked after 30 s (deadlock?)");
    assertEquals(producers * perProducer, seen.get());
    assertEquals(0, o.stats().pending());
    o.close();
  }

  @Test
  void replaysUnacknowledgedMessagesInOrderAfterReopen() throws Exception {
    try (Outbox o = open(1 << 20, 4096)) {
      for (int i = 0; i < 200; i++) o.append("t/" + i, b("m" + i), i % 2 == 0, Priority.HIGH);
      for (int i = 0; i < 150; i++) o.ack(i);
      assertEquals(50, o.stats().pending());
    }
    try (Outbox o = open(1 << 20, 4096)) {
      List<String> got = drain(o);
      assertEquals(50, got.size());
      assertEquals("m150", got.getFirst());
      assertEquals("m199", got.getLast());
      var first = o.next(-1).orElseThrow();
      assertEquals("t/150", first.topic());
      assertTrue(first.retain());
      long seq = o.append("t/new", b("after-restart"), false, Priority.HIGH);
      assertTrue(seq > 199, "sequence continues after the old records: " + seq);
      assertTrue(problems.isEmpty(), problems.toString());
    }
  }

  @Test
  void fullyAcknowledgedSegmentsAreDeleted() throws Exception {
    try (Outbox o = open(1 << 20, 2048)) {
      for (int i = 0; i < 300; i++) o.append("t", b("x".repeat(40)), false, Priority.NORMAL);
      int before = o.stats().segments();
      assertTrue(before > 5, "several segments: " + before);
      for (int i = 0; i < 300; i++) o.ack(i);
      assertTrue(o.stats().segments() <= 1, "only the current segment remains: " + o.stats());
    }
    try (var files = Files.list(dir)) {
      assertTrue(files.filter(p -> p.toString().endsWith(".log")).count() <= 1);
    }
  }

  @Test
  void sizeLimitEvictsOldestLowestPriorityFirstAndCounts() throws Exception {
    try (Outbox o = open(2048, 1 << 20)) {
      // Each record is 12 + 12 + 1 + payload bytes: 100-byte payloads make ~125-byte records.
      String pad = "p".repeat(95);
      o.append("t", b("H0" + pad), false, Priority.HIGH);
      o.append("t", b("L0" + pad), false, Priority.LOW);
      o.append("t", b("N0" + pad), false, Priority.NORMAL);
      o.append("t", b("L1" + pad), false, Priority.LOW);
      for (int i = 1; o.stats().evicted() == 0; i++) o.append("t", b("H" + i + pad), false, Priority.HIGH);
      List<String> left = drain(o).stream().map(s -> s.substring(0, 2)).toList();
      assertTrue(!left.contains("L0") && left.contains("L1") && left.contains("N0") && left.contains("H0"), left.toString());
      while (o.stats().evicted() < 3) o.append("t", b("HX" + pad), false, Priority.HIGH);
      left = drain(o).stream().map(s -> s.substring(0, 2)).toList();
      assertTrue(!left.contains("L1") && !left.contains("N0") && left.contains("H0"), "LOW then NORMAL go first: " + left);
      o.append("t", b("HY" + pad), false, Priority.HIGH);
      assertTrue(!drain(o).stream().anyMatch(s -> s.startsWith("H0")), "then the oldest HIGH");
      long rejected = o.append("t", b("LZ" + pad), false, Priority.LOW);
      assertEquals(-1, rejected, "a LOW message does not push out HIGH ones");
      assertTrue(o.stats().pendingBytes() <= 2048);
    }
  }

  @Test
  void damagedRecordsAreSkippedAndReported() throws Exception {
    try (Outbox o = open(1 << 20, 1 << 20)) {
      for (int i = 0; i < 6; i++) o.append("t", b("record-" + i), false, Priority.HIGH);
    }
    Path seg;
    try (var files = Files.list(dir)) {
      seg = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
    byte[] data = Files.readAllBytes(seg);
    String s = new String(data, StandardCharsets.ISO_8859_1);
    data[s.indexOf("record-1")] ^= 0x55; // payload bit flip: CRC mismatch
    data[s.indexOf("record-3") - 40 > 0 ? recordStart(s, "record-3") : 0] = 0; // smashed header magic
    byte[] torn = java.util.Arrays.copyOf(data, data.length - 3); // torn tail in the last record
    Files.write(seg, torn);
    try (Outbox o = open(1 << 20, 1 << 20)) {
      assertEquals(List.of("record-0", "record-2", "record-4"), drain(o));
      assertEquals(3, o.stats().damaged());
      assertEquals(3, problems.size(), problems.toString());
      assertTrue(problems.getFirst().contains(seg.getFileName().toString()) && problems.getFirst().contains("CRC mismatch"), problems.getFirst());
      assertTrue(problems.get(1).contains("bad record header"), problems.get(1));
      assertTrue(problems.get(2).contains("torn record"), problems.get(2));
    }
  }

  /** Offset of the record whose payload is {@code payload}: header 12 + seq 8 + prio 1 + flags 1 + topic len 2 + topic "t". */
  private static int recordStart(String file, String payload) {
    return file.indexOf(payload) - (12 + 8 + 1 + 1 + 2 + 1);
  }

  @Test
  void damagedAckLogMeansDuplicatesNotLoss() throws Exception {
    try (Outbox o = open(1 << 20, 1 << 20)) {
      for (int i = 0; i < 4; i++) o.append("t", b("m" + i), false, Priority.HIGH);
      o.ack(0);
      o.ack(1);
    }
    Path ack;
    try (var files = Files.list(dir)) {
      ack = files.filter(p -> p.toString().endsWith(".ack")).findFirst().orElseThrow();
    }
    byte[] a = Files.readAllBytes(ack);
    a[3] ^= 1;
    Files.write(ack, a);
    try (Outbox o = open(1 << 20, 1 << 20)) {
      assertEquals(List.of("m0", "m2", "m3"), drain(o));
      assertTrue(problems.getFirst().contains("damaged ack"), problems.toString());
    }
  }
}
