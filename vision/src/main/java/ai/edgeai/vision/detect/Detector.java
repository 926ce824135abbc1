package ai.edgeai.vision.detect;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageTransform;
import ai.edgeai.vision.model.ModelDescriptor;
import ai.edgeai.vision.model.ModelOutputs;
import ai.edgeai.vision.model.VisionModel;
import ai.edgeai.vision.onnx.SessionConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An object or face detector: pre-processing, ONNX inference, decoding and NMS, with boxes and
 * landmarks returned in original-image pixels. Not thread-safe; one per camera thread.
 */
public final class Detector implements AutoCloseable {
  private final VisionModel model;
  private final OutputDecoder decoder;
  private final Candidates candidates;
  private StageTimes lastTimes = new StageTimes(0, 0, 0);

  private Detector(VisionModel model, OutputDecoder decoder) {
    this.model = model;
    this.decoder = decoder;
    this.candidates = new Candidates(decoder.landmarkCount());
  }

  /**
   * Opens a detection or face-detection model and checks its outputs suit the decoder.
   *
   * @throws VisionException for a missing/unloadable model or a descriptor that does not match it
   */
  public static Detector open(ModelDescriptor d, SessionConfig config) {
    if (!d.task().isDetection()) {
      throw new VisionException("model '" + d.name() + "' is a " + d.task().key() + " model, not a detector");
    }
    OutputDecoder decoder = Decoders.create(d);
    VisionModel model = VisionModel.open(d, config);
    try {
      decoder.validate(model.staticOutputShapes());
    } catch (VisionException e) {
      model.close();
      throw new VisionException("model " + d.model().getFileName() + " does not match descriptor " + d.source() + ": " + e.getMessage());
    }
    return new Detector(model, decoder);
  }

  public ModelDescriptor descriptor() { return model.descriptor(); }

  public VisionModel model() { return model; }

  /** Key points per detection (5 for face models with landmarks), 0 when the model gives none. */
  public int landmarkCount() { return decoder.landmarkCount(); }

  /** Detections at the descriptor's score threshold. */
  public List<Detection> detect(Frame frame) {
    return detect(frame, model.descriptor().thresholds().score());
  }

  /** Detections scoring at least {@code scoreThreshold}, highest score first, after NMS. */
  public List<Detection> detect(Frame frame, double scoreThreshold) {
    long t0 = System.nanoTime();
    ImageTransform t = model.setInput(frame);
    long t1 = System.nanoTime();
    ModelOutputs out = model.run();
    long t2 = System.nanoTime();
    List<Detection> result = decode(out, t, scoreThreshold);
    long t3 = System.nanoTime();
    lastTimes = new StageTimes(t1 - t0, t2 - t1, t3 - t2);
    return result;
  }

  /** Receives each frame's detections from {@link #detectOverlapped}. */
  @FunctionalInterface
  public interface FrameSink {
    void accept(Frame frame, List<Detection> detections);
  }

  /**
   * Detects objects in a stream of frames, pre-processing frame N+1 on the calling thread while a
   * worker thread runs inference and decoding of frame N. Gains throughput where a core is free
   * beyond the session's intra-op threads. {@code sink} is called in frame order on the worker
   * thread. Returns when every frame is done; a failure stops the stream and is rethrown here.
   * {@link #lastTimes()} is not updated.
   */
  public void detectOverlapped(Iterator<Frame> frames, double scoreThreshold, FrameSink sink) throws InterruptedException {
    OverlappedDetection.run(this, frames, scoreThreshold, sink);
  }

  /** Stage timings of the last {@link #detect} call. */
  public StageTimes lastTimes() { return lastTimes; }

  List<Detection> decode(ModelOutputs out, ImageTransform t, double scoreThreshold) {
    var th = model.descriptor().thresholds();
    candidates.clear();
    decoder.decode(out, (float) scoreThreshold, candidates);
    int[] keep = Nms.select(candidates, th.nms(), th.classAgnostic(), th.maxDetections());
    List<Detection> result = new ArrayList<>(keep.length);
    int lmCount = candidates.landmarkCount();
    float[] lm = candidates.landmarks();
    for (int i : keep) {
      BoundingBox box = t.toSource(candidates.x1(i), candidates.y1(i), candidates.x2(i), candidates.y2(i));
      List<double[]> points = List.of();
      if (lmCount > 0) {
        points = new ArrayList<>(lmCount);
        int o = candidates.landmarkOffset(i);
        for (int k = 0; k < lmCount; k++) points.add(new double[] {t.toSourceX(lm[o + 2 * k]), t.toSourceY(lm[o + 2 * k + 1])});
      }
      int cls = candidates.classId(i);
      double score = Math.clamp(candidates.score(i), 0.0, 1.0);
      result.add(new Detection(model.descriptor().label(cls), cls, score, box, points, null, Double.NaN, null));
    }
    return result;
  }

  @Override
  public void close() {
    model.close();
  }
}
