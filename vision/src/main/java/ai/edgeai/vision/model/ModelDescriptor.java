package ai.edgeai.vision.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to run one ONNX model: parsed from a descriptor file (see docs/vision.md).
 *
 * @param name short name users pass to {@code --model}
 * @param task what the model does
 * @param model resolved path of the .onnx file
 * @param source where the descriptor came from (file path or "built-in:NAME"), for error messages
 * @param input image input and its pre-processing
 * @param outputs expected output shapes by name (-1 = any); may be empty when the decoder
 *     identifies outputs by their runtime shapes
 * @param decoder decoder type and parameters
 * @param thresholds post-processing defaults (detection tasks)
 * @param labels class names in output index order
 */
public record ModelDescriptor(
    String name,
    Task task,
    Path model,
    String source,
    InputSpec input,
    Map<String, long[]> outputs,
    DecoderSpec decoder,
    Thresholds thresholds,
    List<String> labels) {

  public ModelDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(thresholds, "thresholds");
    outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /** Label of class {@code id}, or "class&lt;id&gt;" when the list is shorter. */
  public String label(int id) {
    return id >= 0 && id < labels.size() ? labels.get(id) : "class" + id;
  }
}
