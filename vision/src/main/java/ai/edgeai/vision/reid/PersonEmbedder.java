package ai.edgeai.vision.reid;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.model.Embeddings;
import ai.edgeai.vision.model.ModelDescriptor;
import ai.edgeai.vision.model.Task;
import ai.edgeai.vision.model.VisionModel;
import ai.edgeai.vision.onnx.SessionConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Person re-identification embeddings (e.g. OSNet): a person's box is cropped, stretched to the
 * model input and embedded into a unit vector; the same person in another frame or camera gives a
 * high cosine similarity. Trackers use {@link #withEmbeddings} to attach them to detections.
 *
 * <p>Not thread-safe.
 */
public final class PersonEmbedder implements AutoCloseable {
  private final VisionModel model;

  private PersonEmbedder(VisionModel model) {
    this.model = model;
  }

  /** Opens a {@code reid-embedding} model (descriptor decoder type {@code embedding}). */
  public static PersonEmbedder open(ModelDescriptor d, SessionConfig config) {
    return new PersonEmbedder(Embeddings.openEmbedder(d, Task.REID_EMBEDDING, config));
  }

  public ModelDescriptor descriptor() { return model.descriptor(); }

  /** Unit-length embedding of the image inside {@code box}. */
  public float[] embed(Frame frame, BoundingBox box) {
    model.setInputCrop(frame, box);
    return Embeddings.runAndNormalize(model);
  }

  /** The detections with an embedding attached to each whose label is in {@code labels} (all when empty). */
  public List<Detection> withEmbeddings(Frame frame, List<Detection> detections, List<String> labels) {
    List<Detection> out = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      boolean wanted = labels.isEmpty() || labels.contains(d.label());
      out.add(wanted && d.box().width() >= 1 && d.box().height() >= 1 ? d.withEmbedding(embed(frame, d.box())) : d);
    }
    return out;
  }

  /** Cosine similarity of two embeddings. */
  public static double similarity(float[] a, float[] b) {
    return Embeddings.cosine(a, b);
  }

  @Override
  public void close() {
    model.close();
  }
}
