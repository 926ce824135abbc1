package ai.edgeai.node.pipeline;

import ai.edgeai.node.events.ObjectChange;
import ai.edgeai.node.source.Frame;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Detector workers shared by all cameras. A camera with a fresh frame is queued once; a worker
 * takes it, processes the newest frame, and re-queues the camera if another frame arrived
 * meanwhile. So cameras are served round-robin, each camera's frames are processed in order by one
 * worker at a time (trackers are not thread-safe), and a slow detector drops frames, not time.
 */
public final class DetectorWorkers implements AutoCloseable {

  private final LinkedBlockingQueue<CameraPipeline> ready = new LinkedBlockingQueue<>();
  private final Thread[] threads;
  private final CameraPipeline.Output output;
  private final Consumer<String> log;
  private volatile boolean running = true;

  public DetectorWorkers(int count, CameraPipeline.Output output, Consumer<String> log) {
    this.output = output;
    this.log = log;
    threads = new Thread[count];
    for (int i = 0; i < count; i++) {
      threads[i] = Thread.ofPlatform().name("detector-" + i).daemon(true).start(this::loop);
    }
  }

  /** A new frame from a camera's source. */
  public void offer(CameraPipeline cam, Frame f) {
    cam.slot.offer(f);
    if (!cam.scheduled.getAndSet(true)) ready.add(cam);
  }

  private void loop() {
    while (running) {
      CameraPipeline cam;
      try {
        cam = ready.take();
      } catch (InterruptedException e) {
        return;
      }
      Frame f = cam.slot.take();
      try {
        if (f != null) {
          List<ObjectChange> changes = cam.process(f);
          output.changes(cam, f, changes);
        }
      } catch (RuntimeException e) {
        log.accept("camera '" + cam.name() + "': frame " + (f == null ? "?" : f.index()) + " failed: " + e);
      } finally {
        cam.scheduled.set(false);
        if (!cam.slot.isEmpty() && !cam.scheduled.getAndSet(true)) ready.add(cam);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) t.interrupt();
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
