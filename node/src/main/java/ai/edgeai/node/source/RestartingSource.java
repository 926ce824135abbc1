package ai.edgeai.node.source;

import ai.edgeai.node.config.CameraConfig;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@link #runOnce} on its own thread and restarts it with exponential back-off (1 s doubling
 * to 30 s, back to 1 s after a run that delivered frames) when it fails, reporting the camera
 * offline with the reason and online again at the first frame, like Frigate's camera watchdog.
 */
abstract class RestartingSource implements FrameSource {

  protected final CameraConfig camera;
  private final AtomicLong frameIndex = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final long minIntervalNanos;
  private volatile Thread thread;
  protected volatile boolean running;
  private FrameSink sink;
  private boolean online;
  private boolean deliveredThisRun;
  private long lastDelivered = Long.MIN_VALUE;

  RestartingSource(CameraConfig camera) {
    this.camera = camera;
    this.minIntervalNanos = (long) (1e9 / camera.fps());
  }

  @Override
  public synchronized void start(FrameSink sink) {
    if (thread != null) throw new IllegalStateException("camera '" + camera.name() + "' already started");
    this.sink = sink;
    running = true;
    thread = Thread.ofPlatform().name("camera-" + camera.name()).daemon(true).start(this::loop);
  }

  private void loop() {
    long backoffMs = 1000;
    while (running) {
      deliveredThisRun = false;
      String reason;
      try {
        reason = runOnce();
      } catch (InterruptedException e) {
        break;
      } catch (Exception e) {
        reason = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (!running) break;
      if (reason == null) break; // finished for good (e.g. a file without loop)
      if (online || !deliveredThisRun && backoffMs == 1000) {
        online = false;
        sink.status(false, reason);
      }
      if (deliveredThisRun) backoffMs = 1000;
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        break;
      }
      backoffMs = Math.min(30_000, backoffMs * 2);
    }
    if (online) {
      online = false;
      sink.status(false, "camera stopped");
    }
  }

  /**
   * Reads the input until it ends or fails.
   *
   * @return why it ended (the camera is then restarted after back-off), or null when it is done for good
   */
  protected abstract String runOnce() throws Exception;

  /** True when the frame timestamped now should be delivered under the camera's fps limit. */
  protected boolean dueNow() {
    long now = System.nanoTime();
    if (lastDelivered != Long.MIN_VALUE && now - lastDelivered < minIntervalNanos * 0.9) {
      skipped.incrementAndGet();
      return false;
    }
    lastDelivered = now;
    return true;
  }

  protected long nextIndex() {
    return frameIndex.getAndIncrement();
  }

  protected void deliver(Frame f) {
    deliveredThisRun = true;
    if (!online) {
      online = true;
      sink.status(true, "receiving frames");
    }
    sink.frame(f);
  }

  protected static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  @Override
  public long skipped() {
    return skipped.get();
  }

  @Override
  public void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      stopInput();
      t.interrupt();
      try {
        t.join(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Releases a blocking input (kills the process, closes the stream) so the thread can end. */
  protected void stopInput() {}
}
