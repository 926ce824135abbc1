package ai.edgeai.node.pipeline;

import ai.edgeai.node.source.Frame;
import ai.edgeai.vision.Detection;
import java.util.List;

/**
 * The node's detector port: one frame in, detections in the frame's pixel coordinates out.
 * Implementations are shared by the detector workers, so they must be thread-safe. This is where
 * the vision module's ONNX detectors plug in (see {@link DetectorFactory}).
 */
public interface FrameDetector extends AutoCloseable {

  List<Detection> detect(Frame frame);

  /** Short description printed at start (model, backend, input size). */
  String describe();

  @Override
  default void close() {}
}
