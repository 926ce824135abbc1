package ai.edgeai.vision.model;

import ai.edgeai.vision.VisionException;

/** Vector helpers for appearance embeddings (faces, persons). */
public final class Embeddings {
  private Embeddings() {}

  /** Copies {@code length} values from {@code src} and scales them to unit length. */
  public static float[] l2Normalized(float[] src, int offset, int length) {
    float[] out = new float[length];
    double sum = 0;
    for (int i = 0; i < length; i++) {
      out[i] = src[offset + i];
      sum += (double) out[i] * out[i];
    }
    if (!(sum > 0) || !Double.isFinite(sum)) throw new VisionException("embedding has zero or non-finite length");
    float inv = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < length; i++) out[i] *= inv;
    return out;
  }

  /** Cosine similarity; equals the dot product for unit vectors. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("embedding sizes differ: " + a.length + " vs " + b.length);
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** Checks an embedding model's descriptor and output, returning the embedding size. */
  static int checkEmbeddingModel(VisionModel m) {
    ModelDescriptor d = m.descriptor();
    if (!"embedding".equals(d.decoder().type())) {
      throw new VisionException("descriptor " + d.source() + ": decoder type for a " + d.task().key() + " model must be 'embedding', got '" + d.decoder().type() + "'");
    }
    var shapes = m.staticOutputShapes();
    long[] s = shapes.values().iterator().next();
    long dim = s[s.length - 1];
    if (s.length != 2 || dim <= 0) {
      throw new VisionException("model " + d.model().getFileName() + " does not match descriptor " + d.source()
          + ": embedding output " + shapes.keySet().iterator().next() + " has shape " + java.util.Arrays.toString(s) + ", expected [N, D]");
    }
    return (int) dim;
  }

  /** Opens an embedding model of the given task and returns it with its output size. */
  public static VisionModel openEmbedder(ModelDescriptor d, Task task, ai.edgeai.vision.onnx.SessionConfig config) {
    if (d.task() != task) throw new VisionException("model '" + d.name() + "' is a " + d.task().key() + " model, not " + task.key());
    VisionModel m = VisionModel.open(d, config);
    try {
      checkEmbeddingModel(m);
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Runs {@code m} on its current input and returns the first output, L2-normalised. */
  public static float[] runAndNormalize(VisionModel m) {
    ModelOutputs out = m.run();
    float[] v = out.data(0);
    return l2Normalized(v, 0, (int) out.lastDim(0));
  }
}
