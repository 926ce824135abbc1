package ai.edgeai.cli.vision;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.face.FaceEmbedder;
import ai.edgeai.vision.face.FaceGallery;
import ai.edgeai.vision.face.FaceRecognizer;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageFiles;
import ai.edgeai.vision.onnx.SessionConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgeai detect IMAGE|DIR --model NAME|PATH}: objects or faces (with names) in images. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = {
      "Detects objects or faces in an image or in every JPEG/PNG of a folder.",
      "With a face model that gives landmarks (yunet) and people enrolled with 'edgeai faces enroll', faces are named.",
      "JSON (--json): {\"image\", \"width\", \"height\", \"detections\": [{\"label\", \"score\", \"box\": [x1,y1,x2,y2], \"landmarks\": [[x,y],...], \"sub_label\", \"similarity\"}]} in original-image pixels; a folder gives an array of them.",
      "An unreadable image in a folder is reported and skipped (exit code 1 at the end)."
    })
public final class DetectCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE|DIR", description = "A JPEG/PNG file or a folder of them.")
  Path input;

  @Option(names = "--model", required = true, paramLabel = "NAME|PATH", description = "Model name (e.g. yolox-nano, ultraface-320, yunet) or a descriptor/.onnx path.")
  String model;

  @Option(names = "--out", paramLabel = "FILE|DIR", description = "Write annotated PNGs: a .png file for one image, else a folder.")
  Path out;

  @Option(names = "--json", description = "Print JSON instead of a summary.")
  boolean json;

  @Option(names = "--threshold", paramLabel = "X", description = "Minimum score (default: the model descriptor's).")
  Double threshold;

  @Option(names = "--face-model", paramLabel = "NAME|PATH", description = "Face embedding model used to name faces (default: the gallery's, e.g. mobilefacenet).")
  String faceModel;

  @Option(names = "--identify-threshold", paramLabel = "X", description = "Minimum cosine similarity to name a face (default: " + FaceGallery.DEFAULT_THRESHOLD + ").")
  double identifyThreshold = FaceGallery.DEFAULT_THRESHOLD;

  @Mixin VisionOptions options;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    SessionConfig config;
    try {
      config = options.sessionConfig();
      if (threshold != null && !(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("--threshold must be in [0, 1]: " + threshold);
    } catch (IllegalArgumentException e) {
      return CliErrors.usage(err, e.getMessage());
    }
    boolean folder = Files.isDirectory(input);
    if (!folder && !Files.exists(input)) throw new VisionException("image not found: " + input);
    List<Path> images = folder ? listImages(input) : List.of(input);
    if (folder && images.isEmpty()) throw new VisionException("no .jpg, .jpeg or .png files in " + input);
    if (out != null && (folder || !out.toString().toLowerCase(Locale.ROOT).endsWith(".png"))) Files.createDirectories(out);

    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ArrayNode results = mapper.createArrayNode();
    int failures = 0;
    try (Detector detector = Detector.open(options.catalog().resolve(model), config);
        FaceIdentity faces = FaceIdentity.open(detector, options, config, faceModel, identifyThreshold, err)) {
      detector.model().warnings().forEach(w -> CliErrors.warn(err, w));
      double th = threshold != null ? threshold : detector.descriptor().thresholds().score();
      for (Path image : images) {
        Frame frame;
        try {
          frame = ImageFiles.read(image);
        } catch (VisionException e) {
          if (!folder) throw e;
          CliErrors.warn(err, "skipping " + e.getMessage());
          failures++;
          continue;
        }
        List<Detection> ds = faces.apply(frame, detector.detect(frame, th));
        ObjectNode o = toJson(mapper, image, frame, ds);
        results.add(o);
        if (!json) stdout.println(summary(image, frame, ds));
        if (out != null) writeAnnotated(frame, ds, folder || !out.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? out.resolve(stem(image) + ".png") : out);
      }
    }
    if (json) stdout.println(mapper.writeValueAsString(folder ? results : results.get(0)));
    stdout.flush();
    if (failures > 0) {
      err.println("edgeai: error: " + failures + " of " + images.size() + " images could not be read");
      err.flush();
      return 1;
    }
    return 0;
  }

  static List<Path> listImages(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(ImageFiles::isImageFile).sorted().toList();
    }
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  private static void writeAnnotated(Frame frame, List<Detection> ds, Path file) throws IOException {
    BufferedImage img = frame.toBufferedImage();
    Annotator.draw(img, ds);
    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
    if (!ImageIO.write(img, "png", file.toFile())) throw new VisionException("no PNG writer available for " + file);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  static ObjectNode toJson(ObjectMapper m, Path image, Frame frame, List<Detection> ds) {
    ObjectNode o = m.createObjectNode();
    o.put("image", image.toString());
    o.put("width", frame.width());
    o.put("height", frame.height());
    ArrayNode arr = o.putArray("detections");
    for (Detection d : ds) {
      ObjectNode j = arr.addObject();
      j.put("label", d.label());
      j.put("score", round(d.score(), 4));
      ArrayNode box = j.putArray("box");
      box.add(round(d.box().x1(), 1)).add(round(d.box().y1(), 1)).add(round(d.box().x2(), 1)).add(round(d.box().y2(), 1));
      ArrayNode lm = j.putArray("landmarks");
      for (double[] p : d.landmarks()) lm.addArray().add(round(p[0], 1)).add(round(p[1], 1));
      if (d.subLabel() != null) {
        j.put("sub_label", d.subLabel());
        j.put("similarity", round(d.similarity(), 4));
      } else {
        j.putNull("sub_label");
        j.putNull("similarity");
      }
    }
    return o;
  }

  private static String summary(Path image, Frame frame, List<Detection> ds) {
    StringBuilder sb = new StringBuilder();
    sb.append(image).append(' ').append(frame.width()).append('x').append(frame.height()).append(": ").append(ds.size()).append(" detections");
    for (Detection d : ds) {
      sb.append(String.format(Locale.ROOT, "%n  %s %.2f [%.0f, %.0f, %.0f, %.0f]", d.label(), d.score(), d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()));
      if (d.subLabel() != null) sb.append(String.format(Locale.ROOT, " %s (similarity %.2f)", d.subLabel(), d.similarity()));
    }
    return sb.toString();
  }

  /** Names faces when the detector gives landmarks and the gallery has people; otherwise passes detections through. */
  static final class FaceIdentity implements AutoCloseable {
    private final FaceEmbedder embedder;
    private final FaceRecognizer recognizer;

    private FaceIdentity(FaceEmbedder embedder, FaceRecognizer recognizer) {
      this.embedder = embedder;
      this.recognizer = recognizer;
    }

    static FaceIdentity open(Detector detector, VisionOptions options, SessionConfig config, String faceModel, double threshold, PrintWriter err) {
      if (detector.descriptor().task() != ai.edgeai.vision.model.Task.FACE_DETECTION) return new FaceIdentity(null, null);
      FaceGallery gallery = FaceGallery.open(FaceGallery.fileIn(options.dataDir()));
      if (gallery.isEmpty()) return new FaceIdentity(null, null);
      if (detector.landmarkCount() != 5) {
        CliErrors.warn(err, "faces are enrolled but model '" + detector.descriptor().name() + "' gives no landmarks; use a yunet model to name faces");
        return new FaceIdentity(null, null);
      }
      String name = faceModel != null ? faceModel : gallery.embedder();
      FaceEmbedder e = FaceEmbedder.open(options.catalog().resolve(name), config);
      try {
        return new FaceIdentity(e, new FaceRecognizer(e, gallery, threshold));
      } catch (RuntimeException ex) {
        e.close();
        throw ex;
      }
    }

    List<Detection> apply(Frame frame, List<Detection> ds) {
      if (recognizer == null) return ds;
      List<Detection> named = recognizer.identify(frame, ds);
      // embeddings are internal here; keep the JSON/summary output small
      List<Detection> out = new ArrayList<>(named.size());
      for (Detection d : named) out.add(d.withEmbedding(null));
      return out;
    }

    @Override
    public void close() {
      if (embedder != null) embedder.close();
    }
  }
}
