package ai.edgeai.vision.detect;

import ai.edgeai.vision.model.ModelOutputs;
import java.util.Map;

/** Turns a detector's raw outputs into candidate boxes in model-input pixels. */
public interface OutputDecoder {

  /** Key points per detection (5 for YuNet), 0 when the model has none. */
  default int landmarkCount() { return 0; }

  /**
   * Checks the model's declared outputs at load time.
   *
   * @throws ai.edgeai.vision.VisionException naming the tensor and shape that do not fit
   */
  void validate(Map<String, long[]> staticOutputShapes);

  /** Appends every candidate scoring at least {@code scoreThreshold}. */
  void decode(ModelOutputs outputs, float scoreThreshold, Candidates sink);
}
