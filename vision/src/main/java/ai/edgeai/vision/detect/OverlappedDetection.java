package ai.edgeai.vision.detect;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageTransform;
import ai.edgeai.vision.model.VisionModel;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two-stage detection over a stream of frames: the calling thread pre-processes frame N+1 while a
 * worker thread runs inference and decoding of frame N. On a device with a core to spare beyond the
 * inference threads this hides the pre-processing time; with every core busy in inference it gains
 * nothing. Results are delivered in frame order, on the worker thread.
 */
final class OverlappedDetection {
  private record Job(Frame frame, VisionModel.InputSlot input, ImageTransform transform) {}

  private static final Job END = new Job(null, null, null);

  private OverlappedDetection() {}

  static void run(Detector detector, Iterator<Frame> frames, double scoreThreshold, Detector.FrameSink sink) throws InterruptedException {
    var model = detector.model();
    // Two input tensors: the next frame is pre-processed straight into one while the worker runs the
    // model on the other (no copy on the worker's side).
    try (VisionModel.InputSlot a = model.newInputSlot(); VisionModel.InputSlot b = model.newInputSlot()) {
      BlockingQueue<VisionModel.InputSlot> free = new ArrayBlockingQueue<>(2);
      free.add(a);
      free.add(b);
      BlockingQueue<Job> ready = new ArrayBlockingQueue<>(1);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread worker = Thread.ofPlatform().name("edgeai-detect-inference").daemon().start(() -> {
        try {
          for (Job job = ready.take(); job != END; job = ready.take()) {
            if (failure.get() != null) { // keep draining so the producer never blocks on a dead worker
              free.put(job.input());
              continue;
            }
            try {
              var outputs = model.run(job.input());
              free.put(job.input()); // its input has been read: the next frame may go there
              List<Detection> found = detector.decode(outputs, job.transform(), scoreThreshold);
              sink.accept(job.frame(), found);
            } catch (RuntimeException | Error e) {
              failure.compareAndSet(null, e);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        while (frames.hasNext() && failure.get() == null) {
          Frame frame = frames.next();
          VisionModel.InputSlot input = free.take();
          ImageTransform t = model.preprocess(frame, input);
          ready.put(new Job(frame, input, t));
        }
      } finally {
        ready.put(END);
        worker.join();
      }
      rethrow(failure.get());
    }
  }

  private static void rethrow(Throwable f) {
    if (f instanceof RuntimeException re) throw re;
    if (f instanceof Error err) throw err;
    if (f != null) throw new VisionException("detection failed: " + f, f);
  }
}
