package ai.edgeai.vision;

import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageFiles;
import ai.edgeai.vision.model.ModelCatalog;
import ai.edgeai.vision.onnx.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the vision tests find their models and photos (repo `models/` plus test fixtures). */
public final class VisionTestData {
  private VisionTestData() {}

  /** The repository's ship-safe models folder (tests run in the module directory). */
  public static Path shippedModels() {
    Path p = Path.of("..", "models").toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) throw new IllegalStateException("repository models folder not found at " + p);
    return p;
  }

  public static Path fixtureModels() {
    return Path.of("src", "test", "resources", "vision", "models").toAbsolutePath();
  }

  public static ModelCatalog catalog() {
    return new ModelCatalog(List.of(shippedModels(), fixtureModels()));
  }

  public static Path imagePath(String name) {
    return Path.of("src", "test", "resources", "vision", "images", name).toAbsolutePath();
  }

  public static Frame image(String name) {
    return ImageFiles.read(imagePath(name));
  }

  /** Two intra-op threads: the CI machine has two cores. */
  public static SessionConfig sessionConfig() {
    return SessionConfig.defaults().withThreads(2);
  }
}
