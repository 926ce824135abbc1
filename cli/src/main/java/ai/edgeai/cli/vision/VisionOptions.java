package ai.edgeai.cli.vision;

import ai.edgeai.cli.Main;
import ai.edgeai.vision.model.ModelCatalog;
import ai.edgeai.vision.onnx.SessionConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options shared by the vision commands: where models and data live, and how sessions run. */
public final class VisionOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  @Option(names = "--models-dir", paramLabel = "DIR",
      description = "Folder with model files and your own descriptors (repeatable). Default: $EDGEAI_MODELS_DIR, else models.dir of the config file, else <data-dir>/models; the installation's models/ folder is searched last.")
  List<Path> modelsDirs = new ArrayList<>();

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data folder (face gallery). Default: $EDGEAI_DATA_DIR or ~/.local/share/edgeai.")
  Path dataDir;

  @Option(names = "--provider", paramLabel = "NAME", defaultValue = "cpu",
      description = "Execution provider: cpu, cuda, tensorrt, openvino, xnnpack, coreml, ... (default: ${DEFAULT-VALUE}); one missing from this ONNX Runtime build falls back to cpu with a warning.")
  String provider;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "ONNX Runtime intra-op threads (0 = all cores).")
  int threads;

  /** The data folder in effect. */
  public Path dataDir() {
    if (dataDir != null) return dataDir;
    String env = System.getenv("EDGEAI_DATA_DIR");
    if (env != null && !env.isBlank()) return Path.of(env);
    return defaultDataDir();
  }

  private static Path defaultDataDir() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("edgeai");
  }

  /**
   * Models folders in search order: {@code --models-dir}, else {@code $EDGEAI_MODELS_DIR}, else the
   * config's {@code models.dir}, else {@code <data-dir>/models}; then the installation's folder.
   */
  public List<Path> modelDirs() {
    List<Path> dirs = new ArrayList<>(modelsDirs);
    if (dirs.isEmpty()) {
      String env = System.getenv("EDGEAI_MODELS_DIR");
      Path configured = configuredModelsDir();
      dirs.add(env != null && !env.isBlank() ? Path.of(env) : configured != null ? configured : dataDir().resolve("models"));
    }
    Path installed = installationModels();
    if (installed != null && !dirs.contains(installed)) dirs.add(installed);
    return dirs;
  }

  /**
   * {@code models.dir} from a config file, or null when there is none or it names the default
   * folder (which {@code --data-dir} may then move).
   */
  private Path configuredModelsDir() {
    if (command == null || !(command.root().userObject() instanceof Main main)) return null;
    ai.edgeai.cli.config.LoadedConfig loaded;
    try {
      loaded = main.config();
    } catch (IllegalStateException e) { // a command that reads its own configuration
      return null;
    }
    Path dir = loaded.config().models().dir();
    if (loaded.source().isEmpty() || dir == null || dir.equals(defaultDataDir().resolve("models"))) return null;
    return dir;
  }

  public ModelCatalog catalog() {
    return new ModelCatalog(modelDirs());
  }

  /**
   * The session settings.
   *
   * @throws ai.edgeai.vision.onnx.UnknownProviderException for a provider name that does not exist
   */
  public SessionConfig sessionConfig() {
    if (threads < 0) throw new IllegalArgumentException("--threads must be >= 0");
    return SessionConfig.defaults().withThreads(threads).withProvider(provider);
  }

  /** The {@code models/} folder of a source checkout or unpacked release (jar in cli/target or lib/). */
  private static Path installationModels() {
    try {
      var src = VisionOptions.class.getProtectionDomain().getCodeSource();
      if (src == null) return null;
      Path p = Path.of(src.getLocation().toURI()).toAbsolutePath();
      for (Path d = p.getParent(); d != null; d = d.getParent()) {
        Path m = d.resolve("models");
        if (Files.isRegularFile(m.resolve("coco.names"))) return m;
      }
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
