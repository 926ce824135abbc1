package ai.edgeai.node.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A durable FIFO of MQTT messages on disk: appended before sending, deleted when acknowledged,
 * replayed in order after a reconnect or a restart.
 *
 * <p>Layout: a folder of segment files {@code segment-<first seq>.log} with their acknowledgement
 * logs {@code segment-<first seq>.ack}. A record is {@code magic, body length, CRC-32C(body), body}
 * where body is {@code seq, priority, flags, topic length, topic, payload}. An ack record is
 * {@code seq, CRC-32C(seq)}. A segment and its ack log are deleted when every record in it is
 * acknowledged or evicted. Appends always go to a segment created by this process, so a torn tail
 * left by a crash is never appended to.
 *
 * <p>Damaged records (bad CRC, bad header, torn tail) are skipped and reported to the
 * {@code problems} consumer, never fatal: reading resynchronises on the next valid record.
 *
 * <p>Thread-safe: appends, acks and reads may come from different threads.
 */
public final class Outbox implements AutoCloseable {

  static final int MAGIC = 0xED6E0B01;
  static final int HEADER = 12; // magic, length, crc
  static final int ACK_RECORD = 12; // seq, crc
  private static final int MAX_BODY = 64 << 20;
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{19})\\.log");

  /**
   * Settings of an outbox.
   *
   * @param maxBytes size limit of pending records
   * @param segmentBytes size at which a new segment starts
   * @param fsync policy
   * @param fsyncIntervalMs batch window in time
   * @param fsyncBatch batch window in messages
   */
  public record Settings(long maxBytes, long segmentBytes, FsyncPolicy fsync, int fsyncIntervalMs, int fsyncBatch) {
    public Settings {
      if (maxBytes < 1024) throw new IllegalArgumentException("outbox size limit must be >= 1 KiB: " + maxBytes);
      if (segmentBytes < 1024) throw new IllegalArgumentException("segment size must be >= 1 KiB: " + segmentBytes);
      if (fsyncIntervalMs < 1 || fsyncBatch < 1) throw new IllegalArgumentException("fsync window must be positive");
    }

    public static Settings defaults() {
      return new Settings(64L << 20, 1L << 20, FsyncPolicy.BATCH, 50, 100);
    }
  }

  private record Entry(long seq, Segment segment, long offset, int length, Priority priority) {}

  private static final class Segment {
    final long firstSeq;
    final Path log;
    final Path ack;
    FileChannel logChannel; // open for reading (and writing when current)
    FileChannel ackChannel; // opened lazily
    int live;
    long size;

    Segment(Path dir, long firstSeq) {
      this.firstSeq = firstSeq;
      this.log = dir.resolve(String.format("segment-%019d.log", firstSeq));
      this.ack = dir.resolve(String.format("segment-%019d.ack", firstSeq));
    }
  }

  private final Path dir;
  private final Settings settings;
  private final Consumer<String> problems;
  private final NavigableMap<Long, Entry> pending = new TreeMap<>();
  private final Map<Priority, TreeSet<Long>> byPriority = new EnumMap<>(Priority.class);
  private final List<Segment> segments = new ArrayList<>();
  private final Map<Long, byte[]> recentBodies = new java.util.LinkedHashMap<>();
  private long recentBytes;
  private final ScheduledExecutorService flusher;
  // Lock order is always this -> appendSignal (append and close notify while holding or after
  // releasing this); a waiter never takes this while holding appendSignal, and instead compares
  // this counter, bumped before every notify, to what it saw, so it cannot miss a wake-up.
  private final Object appendSignal = new Object();
  private volatile long signals;
  private Segment current;
  private long nextSeq;
  private long pendingBytes;
  private long appended, acked, evicted, damaged, fsyncs;
  private int unsynced;
  private long firstUnsyncedNanos;
  private boolean dirtyAcks;
  private boolean closed;

  private Outbox(Path dir, Settings settings, Consumer<String> problems) {
    this.dir = dir;
    this.settings = settings;
    this.problems = problems;
    for (Priority p : Priority.values()) byPriority.put(p, new TreeSet<>());
    if (settings.fsync() == FsyncPolicy.BATCH) {
      flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbox-fsync");
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(1, settings.fsyncIntervalMs() / 2);
      flusher.scheduleWithFixedDelay(this::flushIfDue, period, period, TimeUnit.MILLISECONDS);
    } else {
      flusher = null;
    }
  }

  /**
   * Opens (creating if needed) the outbox in {@code dir} and loads what earlier runs left pending.
   *
   * @param problems receives one line per damaged record or unreadable file
   */
  public static Outbox open(Path dir, Settings settings, Consumer<String> problems) throws IOException {
    Files.createDirectories(dir);
    Outbox o = new Outbox(dir, settings, problems);
    synchronized (o) {
      o.load();
    }
    return o;
  }

  // ---------------------------------------------------------------- loading

  private void load() throws IOException {
    List<Long> firsts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = SEGMENT.matcher(p.getFileName().toString());
        if (m.matches()) firsts.add(Long.parseLong(m.group(1)));
      }
    }
    firsts.sort(null);
    long maxSeq = -1;
    for (long first : firsts) {
      Segment s = new Segment(dir, first);
      var ackedSeqs = readAcks(s);
      s.logChannel = FileChannel.open(s.log, StandardOpenOption.READ);
      s.size = s.logChannel.size();
      segments.add(s);
      maxSeq = Math.max(maxSeq, scan(s, ackedSeqs));
      if (s.live == 0) deleteSegment(s);
    }
    nextSeq = maxSeq + 1;
  }

  private java.util.Set<Long> readAcks(Segment s) throws IOException {
    var set = new java.util.HashSet<Long>();
    if (!Files.exists(s.ack)) return set;
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(s.ack));
    CRC32C crc = new CRC32C();
    int bad = 0;
    while (b.remaining() >= ACK_RECORD) {
      long seq = b.getLong();
      int c = b.getInt();
      crc.reset();
      crc.update(ByteBuffer.allocate(8).putLong(0, seq));
      if ((int) crc.getValue() == c) set.add(seq);
      else bad++;
    }
    if (bad > 0 || b.remaining() > 0) {
      // A lost ack only means a duplicate delivery (same event_id), never a lost message.
      problems.accept("outbox: " + s.ack.getFileName() + ": " + bad + " damaged ack record(s)"
          + (b.remaining() > 0 ? " and a torn tail of " + b.remaining() + " bytes" : "")
          + " ignored; those messages may be delivered twice");
    }
    return set;
  }

  /** Reads every record of a segment, indexing the ones not acknowledged; returns the highest seq seen. */
  private long scan(Segment s, java.util.Set<Long> ackedSeqs) throws IOException {
    FileChannel ch = s.logChannel;
    long size = ch.size();
    long pos = 0;
    long maxSeq = -1;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (pos < size) {
      String problem = null;
      if (size - pos < HEADER) {
        problem = "torn record (" + (size - pos) + " bytes) at the end";
      } else {
        header.clear();
        ch.read(header, pos);
        int magic = header.getInt(0), len = header.getInt(4), crc = header.getInt(8);
        if (magic != MAGIC) {
          problem = "bad record header";
        } else if (len < 12 || len > MAX_BODY) {
          problem = "bad record length " + len;
        } else if (pos + HEADER + len > size) {
          problem = "torn record at the end (" + (size - pos - HEADER) + " of " + len + " bytes)";
        } else {
          ByteBuffer body = ByteBuffer.allocate(len);
          ch.read(body, pos + HEADER);
          body.flip();
          CRC32C c = new CRC32C();
          c.update(body.duplicate());
          if ((int) c.getValue() != crc) {
            problem = "CRC mismatch";
            // The length looked sane: skip exactly this record, the next one is intact.
            damaged++;
            problems.accept("outbox: damaged record in " + s.log.getFileName() + " at offset " + pos + " (" + problem + "), skipped");
            pos += HEADER + len;
            continue;
          }
          long seq = body.getLong(0);
          Priority prio = Priority.values()[Math.min(body.get(8) & 0xff, Priority.values().length - 1)];
          maxSeq = Math.max(maxSeq, seq);
          if (!ackedSeqs.contains(seq) && !pending.containsKey(seq)) index(new Entry(seq, s, pos, HEADER + len, prio));
          pos += HEADER + len;
          continue;
        }
      }
      damaged++;
      long next = resync(ch, pos + 1, size);
      problems.accept("outbox: damaged record in " + s.log.getFileName() + " at offset " + pos + " (" + problem + "), "
          + (next < size ? "skipped " + (next - pos) + " bytes" : "skipped the rest of the segment"));
      pos = next;
    }
    return maxSeq;
  }

  /** Finds the next offset at which a record with a valid CRC starts, or {@code size}. */
  private static long resync(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE));
    ch.read(all, 0);
    for (long p = from; p + HEADER <= size; p++) {
      if (all.getInt((int) p) != MAGIC) continue;
      int len = all.getInt((int) p + 4);
      if (len < 12 || len > MAX_BODY || p + HEADER + len > size) continue;
      CRC32C c = new CRC32C();
      c.update(all.slice((int) p + HEADER, len));
      if ((int) c.getValue() == all.getInt((int) p + 8)) return p;
    }
    return size;
  }

  private void index(Entry e) {
    pending.put(e.seq, e);
    byPriority.get(e.priority).add(e.seq);
    e.segment.live++;
    pendingBytes += e.length;
  }

  // ---------------------------------------------------------------- appending

  /**
   * Appends a message; it is readable by {@link #next} as soon as this returns, and durable per
   * the fsync policy. When the size limit is reached, the oldest message of the lowest priority
   * present is evicted first (which may be this one, if everything pending ranks higher).
   *
   * @return the message's sequence number, or -1 when it was itself evicted by the size limit
   */
  public synchronized long append(String topic, byte[] payload, boolean retain, Priority priority) {
    ensureOpen();
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    if (t.length > 65535) throw new IllegalArgumentException("topic longer than 65535 bytes: " + topic);
    int bodyLen = 8 + 1 + 1 + 2 + t.length + payload.length;
    int recordLen = HEADER + bodyLen;
    if (recordLen > settings.maxBytes()) {
      throw new IllegalArgumentException("message of " + recordLen + " bytes on " + topic + " exceeds the outbox size limit " + settings.maxBytes());
    }
    if (!makeRoom(recordLen, priority)) {
      evicted++;
      return -1;
    }
    long seq = nextSeq++;
    ByteBuffer rec = ByteBuffer.allocate(recordLen);
    rec.putInt(MAGIC).putInt(bodyLen).putInt(0);
    rec.putLong(seq).put((byte) priority.ordinal()).put((byte) (retain ? 1 : 0)).putShort((short) t.length).put(t).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(rec.array(), HEADER, bodyLen);
    rec.putInt(8, (int) crc.getValue());
    rec.flip();
    try {
      Segment s = currentSegment(recordLen);
      long offset = s.size;
      while (rec.hasRemaining()) s.logChannel.write(rec, offset + rec.position());
      s.size += recordLen;
      index(new Entry(seq, s, offset, recordLen, priority));
      cacheBody(seq, rec.array());
      appended++;
      afterWrite();
    } catch (IOException e) {
      throw new UncheckedIOException("outbox " + dir + ": cannot append to segment: " + e.getMessage(), e);
    }
    signals++; // only under this (append is synchronized)
    synchronized (appendSignal) {
      appendSignal.notifyAll();
    }
    return seq;
  }

  private boolean makeRoom(int recordLen, Priority incoming) {
    while (pendingBytes + recordLen > settings.maxBytes()) {
      Priority lowest = null;
      for (Priority p : Priority.values()) {
        if (!byPriority.get(p).isEmpty()) {
          lowest = p;
          break;
        }
      }
      if (lowest == null) return true;
      if (incoming.ordinal() < lowest.ordinal()) return false; // everything pending ranks higher
      long victim = byPriority.get(lowest).first();
      remove(victim);
      evicted++;
    }
    return true;
  }

  private Segment currentSegment(int recordLen) throws IOException {
    if (current == null || current.size + recordLen > settings.segmentBytes() && current.size > 0) {
      if (current != null && current.live == 0) deleteSegment(current);
      Segment s = new Segment(dir, nextSeq - 1);
      s.logChannel = FileChannel.open(s.log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
      segments.add(s);
      current = s;
      forceDirectory();
    }
    return current;
  }

  private void afterWrite() throws IOException {
    switch (settings.fsync()) {
      case ALWAYS -> force();
      case BATCH -> {
        if (unsynced++ == 0) firstUnsyncedNanos = System.nanoTime();
        if (unsynced >= settings.fsyncBatch()) force();
      }
      case NEVER -> {}
    }
  }

  private synchronized void flushIfDue() {
    if (closed || unsynced == 0 && !dirtyAcks) return;
    if (unsynced > 0 && System.nanoTime() - firstUnsyncedNanos < settings.fsyncIntervalMs() * 1_000_000L / 2 && !dirtyAcks) return;
    try {
      force();
    } catch (IOException e) {
      problems.accept("outbox: fsync failed: " + e.getMessage());
    }
  }

  private void force() throws IOException {
    if (current != null && unsynced > 0 || settings.fsync() == FsyncPolicy.ALWAYS) {
      if (current != null) current.logChannel.force(false);
      fsyncs++;
    }
    unsynced = 0;
    if (dirtyAcks) {
      for (Segment s : segments) if (s.ackChannel != null) s.ackChannel.force(false);
      dirtyAcks = false;
    }
  }

  private void forceDirectory() {
    if (settings.fsync() == FsyncPolicy.NEVER) return;
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Not every file system lets a directory be opened for fsync; the segment data is still forced.
    }
  }

  private void cacheBody(long seq, byte[] record) {
    // Keeps recent records in memory so sending right after appending needs no disk read.
    recentBodies.put(seq, record);
    recentBytes += record.length;
    Iterator<Map.Entry<Long, byte[]>> it = recentBodies.entrySet().iterator();
    while (recentBytes > 8L << 20 && it.hasNext()) {
      recentBytes -= it.next().getValue().length;
      it.remove();
    }
  }

  // ---------------------------------------------------------------- reading and acknowledging

  /** The first pending message with a sequence number greater than {@code afterSeq}. */
  public synchronized Optional<OutboxMessage> next(long afterSeq) {
    ensureOpen();
    var e = pending.higherEntry(afterSeq);
    return e == null ? Optional.empty() : Optional.of(read(e.getValue()));
  }

  /** Waits up to {@code timeoutMs} for an append; returns at once if a message after {@code afterSeq} is pending. */
  public void awaitAppend(long afterSeq, long timeoutMs) throws InterruptedException {
    long seen;
    synchronized (this) {
      seen = signals;
      if (closed || pending.higherKey(afterSeq) != null) return;
    }
    synchronized (appendSignal) {
      if (signals == seen) appendSignal.wait(timeoutMs);
    }
  }

  private OutboxMessage read(Entry e) {
    byte[] rec = recentBodies.get(e.seq);
    ByteBuffer b;
    if (rec != null) {
      b = ByteBuffer.wrap(rec);
    } else {
      b = ByteBuffer.allocate(e.length);
      try {
        while (b.hasRemaining()) {
          if (e.segment.logChannel.read(b, e.offset + b.position()) < 0) throw new IOException("unexpected end of file");
        }
      } catch (IOException ex) {
        throw new UncheckedIOException("outbox: cannot read " + e.segment.log + " at " + e.offset + ": " + ex.getMessage(), ex);
      }
      b.flip();
    }
    b.position(HEADER + 8 + 1);
    boolean retain = (b.get() & 1) != 0;
    int tlen = b.getShort() & 0xffff;
    byte[] t = new byte[tlen];
    b.get(t);
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new OutboxMessage(e.seq, new String(t, StandardCharsets.UTF_8), payload, retain, e.priority);
  }

  /** Marks a message delivered; its segment is deleted once nothing in it is pending. Unknown seqs are ignored. */
  public synchronized void ack(long seq) {
    if (closed) return;
    if (remove(seq)) acked++;
  }

  private boolean remove(long seq) {
    Entry e = pending.remove(seq);
    if (e == null) return false;
    byPriority.get(e.priority).remove(seq);
    pendingBytes -= e.length;
    byte[] cached = recentBodies.remove(seq);
    if (cached != null) recentBytes -= cached.length;
    Segment s = e.segment;
    s.live--;
    try {
      if (s.live == 0 && s != current) {
        deleteSegment(s);
      } else {
        if (s.ackChannel == null) {
          s.ackChannel = FileChannel.open(s.ack, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        ByteBuffer a = ByteBuffer.allocate(ACK_RECORD);
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, seq));
        a.putLong(seq).putInt((int) crc.getValue()).flip();
        while (a.hasRemaining()) s.ackChannel.write(a);
        dirtyAcks = true;
      }
    } catch (IOException ex) {
      problems.accept("outbox: cannot record acknowledgement of " + seq + " in " + s.ack.getFileName() + ": " + ex.getMessage());
    }
    return true;
  }

  private void deleteSegment(Segment s) {
    try {
      if (s.logChannel != null) s.logChannel.close();
      if (s.ackChannel != null) s.ackChannel.close();
      // The ack log goes first: a crash in between leaves a segment whose acks are lost (duplicates), never the reverse.
      Files.deleteIfExists(s.ack);
      Files.deleteIfExists(s.log);
    } catch (IOException e) {
      problems.accept("outbox: cannot delete " + s.log.getFileName() + ": " + e.getMessage());
    }
    segments.remove(s);
    if (s == current) current = null;
  }

  public synchronized OutboxStats stats() {
    return new OutboxStats(pending.size(), pendingBytes, appended, acked, evicted, damaged, segments.size(), fsyncs);
  }

  /** Pending sequence numbers in order (for tests and diagnostics). */
  public synchronized List<Long> pendingSeqs() {
    return new ArrayList<>(pending.keySet());
  }

  public Path folder() {
    return dir;
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("outbox " + dir + " is closed");
  }

  /** Forces everything to disk and closes the files. */
  @Override
  public void close() {
    if (flusher != null) flusher.shutdownNow();
    synchronized (this) {
      if (closed) return;
      try {
        if (settings.fsync() != FsyncPolicy.NEVER) force();
      } catch (IOException e) {
        problems.accept("outbox: fsync on close failed: " + e.getMessage());
      }
      if (current != null && current.live == 0) deleteSegment(current);
      for (Segment s : segments) {
        try {
          if (s.logChannel != null) s.logChannel.close();
          if (s.ackChannel != null) s.ackChannel.close();
        } catch (IOException ignored) {
          // closing read handles cannot lose data
        }
      }
      closed = true;
      signals++;
    }
    synchronized (appendSignal) {
      appendSignal.notifyAll();
    }
  }
}
