package ai.edgeai.node.outbox;

/**
 * Counters of an outbox since it was opened.
 *
 * @param pending messages not yet acknowledged
 * @param pendingBytes their size on disk
 * @param appended messages appended
 * @param acked messages acknowledged and deleted
 * @param evicted messages dropped by the size limit (oldest lowest-priority first)
 * @param damaged damaged records skipped when the segments were read
 * @param segments segment files on disk
 * @param fsyncs fsync calls
 */
public record OutboxStats(
    long pending, long pendingBytes, long appended, long acked, long evicted, long damaged, int segments, long fsyncs) {}
