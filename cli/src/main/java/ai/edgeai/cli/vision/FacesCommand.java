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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgeai faces enroll|list|remove}: the gallery of known faces in the data folder. */
@Command(
    name = "faces",
    mixinStandardHelpOptions = true,
    description = "Manages the known-faces gallery (<data-dir>/faces/gallery.json) used by 'edgeai detect' with a yunet model.",
    subcommands = {FacesCommand.Enroll.class, FacesCommand.ListPeople.class, FacesCommand.Remove.class})
public final class FacesCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "enroll", mixinStandardHelpOptions = true,
      description = "Adds a person from portrait photos (the largest face in each is used).")
  static final class Enroll implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE") List<Path> images;

    @Option(names = "--detector", paramLabel = "NAME|PATH", defaultValue = "yunet",
        description = "Face detector with 5 landmarks (default: ${DEFAULT-VALUE}).")
    String detectorName;

    @Option(names = "--face-model", paramLabel = "NAME|PATH", defaultValue = "mobilefacenet",
        description = "Face embedding model (default: ${DEFAULT-VALUE}).")
    String faceModel;

    @Mixin VisionOptions options;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      SessionConfig config;
      try {
        config = options.sessionConfig();
      } catch (IllegalArgumentException e) {
        return CliErrors.usage(err, e.getMessage());
      }
      FaceGallery gallery = FaceGallery.open(FaceGallery.fileIn(options.dataDir()));
      List<float[]> embeddings = new ArrayList<>();
      String embedderName;
      try (Detector detector = Detector.open(options.catalog().resolve(detectorName), config);
          FaceEmbedder embedder = FaceEmbedder.open(options.catalog().resolve(faceModel), config)) {
        if (detector.landmarkCount() != 5) throw new VisionException("detector '" + detectorName + "' gives no 5 face landmarks; use yunet");
        embedderName = embedder.descriptor().name();
        for (Path image : images) {
          try {
            Frame frame = ImageFiles.read(image);
            List<Detection> faces = detector.detect(frame);
            if (faces.isEmpty()) throw new VisionException("no face found in " + image);
            embeddings.add(embedder.embed(frame, FaceRecognizer.largest(faces)));
          } catch (VisionException e) {
            CliErrors.warn(err, "skipping " + e.getMessage());
          }
        }
      }
      if (embeddings.isEmpty()) throw new VisionException("no face to enroll for '" + name + "' in " + images.size() + " image(s)");
      try {
        gallery.enroll(name, embeddings, embedderName);
      } catch (IllegalArgumentException e) {
        return CliErrors.usage(err, e.getMessage());
      }
      spec.commandLine().getOut().println("enrolled " + name + " from " + embeddings.size() + " image(s) into " + gallery.file());
      return embeddings.size() == images.size() ? 0 : 1;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists enrolled people.")
  static final class ListPeople implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin VisionOptions options;

    @Override
    public void run() {
      FaceGallery g = FaceGallery.open(FaceGallery.fileIn(options.dataDir()));
      PrintWriter out = spec.commandLine().getOut();
      if (g.isEmpty()) out.println("no faces enrolled (" + g.file() + ")");
      g.people().forEach((n, c) -> out.println(n + "\t" + c + " embedding(s)"));
      out.flush();
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a person from the gallery.")
  static final class Remove implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Mixin VisionOptions options;

    @Override
    public Integer call() {
      FaceGallery g = FaceGallery.open(FaceGallery.fileIn(options.dataDir()));
      if (!g.remove(name)) throw new VisionException("no person named '" + name + "' in " + g.file());
      spec.commandLine().getOut().println("removed " + name);
      return 0;
    }
  }
}
