package ai.edgeai.node.pipeline;

import ai.edgeai.node.config.CameraConfig;

/**
 * Resolves a camera's {@code detector} name to a detector. The node ships {@code testpattern}
 * (the synthetic camera's boxes, by colour) and {@code none}; the CLI passes a factory that also
 * knows the vision module's ONNX models.
 */
public interface DetectorFactory {

  /**
   * @throws IllegalArgumentException naming the camera and the unknown detector
   */
  FrameDetector create(String name, CameraConfig camera);

  /**
   * The re-identification embedder for {@code identities.reid_model}.
   *
   * @param labels labels whose detections get embeddings
   * @throws IllegalArgumentException naming the model when it cannot be used
   */
  default FrameEmbedder embedder(String model, java.util.List<String> labels) {
    throw new IllegalArgumentException("identities.reid_model '" + model + "': this node has no re-identification models "
        + "(the CLI's edgeai run knows the vision catalogue, e.g. osnet)");
  }

  /**
   * The built-in detectors; {@code default} means {@code testpattern}.
   *
   * <p>The vision module's ONNX models come with {@link VisionDetectors}.
   */
  static DetectorFactory builtIn() {
    return (name, camera) -> switch (name) {
      case "testpattern", "default" -> new ColorBoxDetector();
      case "none" -> new FrameDetector() {
        @Override
        public java.util.List<ai.edgeai.vision.Detection> detect(ai.edgeai.node.source.Frame frame) {
          return java.util.List.of();
        }

        @Override
        public String describe() {
          return "none (frames are read, nothing is detected)";
        }
      };
      default -> throw new IllegalArgumentException("camera '" + camera.name() + "': unknown detector '" + name
          + "' (available: testpattern, none)");
    };
  }
}
