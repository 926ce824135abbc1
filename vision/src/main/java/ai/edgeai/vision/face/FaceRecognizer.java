package ai.edgeai.vision.face;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.image.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts names on detected faces: embeds each face that has 5 landmarks and looks it up in the
 * gallery; a match becomes the detection's {@code subLabel} with its similarity.
 */
public final class FaceRecognizer {
  private final FaceEmbedder embedder;
  private final FaceGallery gallery;
  private final double threshold;

  public FaceRecognizer(FaceEmbedder embedder, FaceGallery gallery, double threshold) {
    this.embedder = embedder;
    this.gallery = gallery;
    this.threshold = threshold;
    if (!gallery.isEmpty() && gallery.embedder() != null && !gallery.embedder().equals(embedder.descriptor().name())) {
      throw new VisionException("face gallery " + gallery.file() + " was enrolled with '" + gallery.embedder() + "', not '"
          + embedder.descriptor().name() + "'");
    }
  }

  /** The faces with identities where the gallery has a match; faces without landmarks are left as they are. */
  public List<Detection> identify(Frame frame, List<Detection> faces) {
    List<Detection> out = new ArrayList<>(faces.size());
    for (Detection f : faces) {
      if (f.landmarks().size() != 5) {
        out.add(f);
        continue;
      }
      float[] e = embedder.embed(frame, f);
      out.add(gallery.identify(e, threshold).map(m -> f.withIdentity(m.name(), m.similarity())).orElse(f).withEmbedding(e));
    }
    return out;
  }

  /** Embedding of the largest face in the list (the one to enroll from a portrait). */
  public static Detection largest(List<Detection> faces) {
    return faces.stream().max(Comparator.comparingDouble(d -> d.box().area()))
        .orElseThrow(() -> new VisionException("no face found"));
  }
}
