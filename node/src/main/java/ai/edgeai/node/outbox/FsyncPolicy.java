package ai.edgeai.node.outbox;

/** When appended records are forced to the storage device. */
public enum FsyncPolicy {
  /** fsync before {@code append} returns: nothing acknowledged by append is lost, slowest. */
  ALWAYS,
  /** fsync within a bounded window (time and count) after append: a power cut loses at most that window. */
  BATCH,
  /** never fsync explicitly: the OS writes back (typically within 30 s); survives process crashes only. */
  NEVER;

  public static FsyncPolicy parse(String s) {
    return valueOf(s.toUpperCase(java.util.Locale.ROOT));
  }
}
