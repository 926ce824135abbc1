package ai.edgeai.vision.face;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.PreprocessSpec;
import ai.edgeai.vision.model.Embeddings;
import ai.edgeai.vision.model.ModelDescriptor;
import ai.edgeai.vision.model.Task;
import ai.edgeai.vision.model.VisionModel;
import ai.edgeai.vision.onnx.SessionConfig;

/**
 * Face embeddings (e.g. MobileFaceNet, ArcFace): the face is aligned to the ArcFace template with its
 * 5 landmarks (alignment is what makes identities separable; plain box crops are not) and embedded
 * into a unit vector. Not thread-safe.
 */
public final class FaceEmbedder implements AutoCloseable {
  private final VisionModel model;

  private FaceEmbedder(VisionModel model) {
    this.model = model;
    PreprocessSpec s = model.descriptor().input().preprocess();
    if (s.width() != s.height()) {
      model.close();
      throw new VisionException("descriptor " + model.descriptor().source() + ": a face embedder needs a square input, got " + s.width() + "x" + s.height());
    }
  }

  /** Opens a {@code face-embedding} model (descriptor decoder type {@code embedding}). */
  public static FaceEmbedder open(ModelDescriptor d, SessionConfig config) {
    return new FaceEmbedder(Embeddings.openEmbedder(d, Task.FACE_EMBEDDING, config));
  }

  public ModelDescriptor descriptor() { return model.descriptor(); }

  /**
   * Unit-length embedding of a detected face.
   *
   * @throws VisionException when the detection has no 5 landmarks (use a detector such as YuNet)
   */
  public float[] embed(Frame frame, Detection face) {
    if (face.landmarks().size() != 5) {
      throw new VisionException("face recognition needs 5 landmarks per face; the detector gave " + face.landmarks().size()
          + " (use a landmark detector such as yunet)");
    }
    PreprocessSpec spec = model.descriptor().input().preprocess();
    double[] m = FaceAligner.toTemplate(face.landmarks(), spec.width());
    FaceAligner.warp(frame, m, spec, model.inputBuffer(), 0);
    model.commitInput();
    return Embeddings.runAndNormalize(model);
  }

  @Override
  public void close() {
    model.close();
  }
}
