package ai.edgeai.node.pipeline;

import ai.edgeai.node.source.Frame;
import ai.edgeai.vision.Detection;
import java.util.List;

/**
 * The node's re-identification port: attaches an appearance embedding (unit vector) to the
 * detections whose label it embeds, so that {@code CrossCameraIdentities} can match the same
 * person across cameras. Shared by the detector workers: implementations must be thread-safe.
 */
public interface FrameEmbedder extends AutoCloseable {

  /** The detections in the same order, the wanted ones with {@code embedding} set. */
  List<Detection> embed(Frame frame, List<Detection> detections);

  /** Short description printed at start. */
  String describe();

  @Override
  default void close() {}
}
