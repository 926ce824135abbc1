package ai.edgeai.node.pipeline;

import ai.edgeai.node.source.Frame;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-frame queue where the newest frame replaces one not yet taken: detection always works on
 * the freshest picture and a slow detector costs frames (counted), never latency.
 */
public final class LatestFrameSlot {
  private final AtomicReference<Frame> slot = new AtomicReference<>();
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /** Stores the frame; returns true when it replaced an untaken one (a drop). */
  public boolean offer(Frame f) {
    offered.incrementAndGet();
    boolean replaced = slot.getAndSet(f) != null;
    if (replaced) dropped.incrementAndGet();
    return replaced;
  }

  /** The newest frame, or null; the slot is empty afterwards. */
  public Frame take() {
    return slot.getAndSet(null);
  }

  public boolean isEmpty() {
    return slot.get() == null;
  }

  public long offered() {
    return offered.get();
  }

  public long dropped() {
    return dropped.get();
  }
}
