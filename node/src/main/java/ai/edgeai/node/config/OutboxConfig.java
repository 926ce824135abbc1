package ai.edgeai.node.config;

import java.util.List;

/**
 * The disk outbox every QoS 1 message goes through.
 *
 * @param path folder of the segment files (default {@code ./edgeai-outbox})
 * @param maxMegabytes size limit of pending messages; beyond it the oldest lowest-priority ones are evicted
 * @param segmentKilobytes size at which a new segment file starts (default 1024)
 * @param fsync {@code batch} (default: fsync at most {@code fsync_interval_ms} / {@code fsync_batch}
 *     messages after the append), {@code always} (fsync every message before it is sent) or
 *     {@code never} (leave it to the OS)
 * @param fsyncIntervalMs longest time an appended message waits for its fsync in batch mode (default 50)
 * @param fsyncBatch most messages appended without an fsync in batch mode (default 100)
 * @param maxInFlight QoS 1 messages sent but not yet acknowledged (default 64)
 */
public record OutboxConfig(
    String path, Integer maxMegabytes, Integer segmentKilobytes, String fsync, Integer fsyncIntervalMs,
    Integer fsyncBatch, Integer maxInFlight) {

  public static final List<String> FSYNC_POLICIES = List.of("batch", "always", "never");

  public OutboxConfig {
    path = path == null ? "edgeai-outbox" : path;
    maxMegabytes = maxMegabytes == null ? 64 : maxMegabytes;
    if (maxMegabytes < 1) throw new IllegalArgumentException("outbox.max_megabytes must be >= 1, got " + maxMegabytes);
    segmentKilobytes = segmentKilobytes == null ? 1024 : segmentKilobytes;
    if (segmentKilobytes < 4) throw new IllegalArgumentException("outbox.segment_kilobytes must be >= 4, got " + segmentKilobytes);
    fsync = fsync == null ? "batch" : fsync;
    if (!FSYNC_POLICIES.contains(fsync)) throw new IllegalArgumentException("outbox.fsync '" + fsync + "' is not one of " + FSYNC_POLICIES);
    fsyncIntervalMs = fsyncIntervalMs == null ? 50 : fsyncIntervalMs;
    if (fsyncIntervalMs < 1 || fsyncIntervalMs > 10_000) throw new IllegalArgumentException("outbox.fsync_interval_ms must be 1..10000, got " + fsyncIntervalMs);
    fsyncBatch = fsyncBatch == null ? 100 : fsyncBatch;
    if (fsyncBatch < 1) throw new IllegalArgumentException("outbox.fsync_batch must be >= 1, got " + fsyncBatch);
    maxInFlight = maxInFlight == null ? 64 : maxInFlight;
    if (maxInFlight < 1 || maxInFlight > 65535) throw new IllegalArgumentException("outbox.max_in_flight must be 1..65535, got " + maxInFlight);
  }

  public static OutboxConfig defaults() {
    return new OutboxConfig(null, null, null, null, null, null, null);
  }
}
