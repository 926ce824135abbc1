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
   * The built-in detectors; {@code default} means {@code testpattern}.
   *
   * <p>VISION ADAPTER POINT (to wire after merging the vision branch): a factory that maps model
   * names (e.g. {@code yolox_nano}, {@code ultraface}) to a {@code FrameDetector} wrapping
   * {@code ai.edgeai.vision.detect.Detector#detect(ai.edgeai.vision.image.Frame)}, converting this
   * node's packed-RGB {@link ai.edgeai.node.source.Frame}; one Detector per worker if it is not
   * thread-safe. Until then {@code edgeai demo} runs {@code none} on its photo camera.
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
