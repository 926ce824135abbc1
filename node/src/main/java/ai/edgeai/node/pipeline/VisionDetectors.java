package ai.edgeai.node.pipeline;

import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.source.Frame;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.model.ModelCatalog;
import ai.edgeai.vision.model.ModelDescriptor;
import ai.edgeai.vision.onnx.SessionConfig;
import ai.edgeai.vision.reid.PersonEmbedder;
import java.nio.file.Path;
import java.util.List;

/**
 * Detectors backed by the vision module's ONNX models: a camera's {@code detector} names a model
 * from the catalogue (e.g. {@code yolox-nano}, {@code ultraface-320}, {@code yunet}) or a
 * descriptor path; {@code testpattern} and {@code none} stay available.
 */
public final class VisionDetectors implements DetectorFactory {

  private final ModelCatalog catalog;
  private final SessionConfig session;

  public VisionDetectors(List<Path> modelDirs, SessionConfig session) {
    this.catalog = new ModelCatalog(modelDirs);
    this.session = session;
  }

  /** The default models folder and a CPU session with one intra-op thread per detector worker. */
  public static VisionDetectors defaults() {
    return new VisionDetectors(List.of(ModelCatalog.defaultModelsDir()), SessionConfig.defaults());
  }

  @Override
  public FrameDetector create(String name, CameraConfig camera) {
    if (name.equals("testpattern") || name.equals("default") || name.equals("none")) {
      return DetectorFactory.builtIn().create(name, camera);
    }
    ModelDescriptor d;
    try {
      d = catalog.resolve(name);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("camera '" + camera.name() + "': detector '" + name + "': " + e.getMessage(), e);
    }
    Detector detector = Detector.open(d, session);
    return new FrameDetector() {
      @Override
      public List<Detection> detect(Frame frame) {
        var image = visionFrame(frame);
        synchronized (detector) { // one ONNX session per camera detector; workers may share it
          return detector.detect(image);
        }
      }

      @Override
      public String describe() {
        return d.name() + " (ONNX Runtime, " + session.provider() + ")";
      }

      @Override
      public void close() {
        detector.close();
      }
    };
  }

  @Override
  public FrameEmbedder embedder(String model, List<String> labels) {
    PersonEmbedder embedder;
    ModelDescriptor d;
    try {
      d = catalog.resolve(model);
      embedder = PersonEmbedder.open(d, session);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("identities.reid_model '" + model + "': " + e.getMessage(), e);
    }
    return new FrameEmbedder() {
      @Override
      public List<Detection> embed(Frame frame, List<Detection> detections) {
        if (detections.stream().noneMatch(x -> labels.contains(x.label()))) return detections;
        var image = visionFrame(frame);
        synchronized (embedder) {
          return embedder.withEmbeddings(image, detections, labels);
        }
      }

      @Override
      public String describe() {
        return d.name() + " re-identification of " + labels + " (ONNX Runtime, " + session.provider() + ")";
      }

      @Override
      public void close() {
        embedder.close();
      }
    };
  }

  /** Node frames are packed RGB; vision frames are packed BGR. */
  private static ai.edgeai.vision.image.Frame visionFrame(Frame frame) {
    byte[] rgb = frame.rgb();
    byte[] bgr = new byte[rgb.length];
    for (int i = 0; i + 2 < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return new ai.edgeai.vision.image.Frame(frame.width(), frame.height(), bgr);
  }
}
