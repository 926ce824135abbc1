package ai.edgeai.vision.model;

import ai.edgeai.vision.VisionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds model descriptors by name or path.
 *
 * <p>A name is looked up as {@code NAME.yaml|.yml|.json} in each models folder (users' own
 * descriptors win), then among the built-in descriptors, whose {@code file} is searched for in the
 * models folders in order. A path may name a descriptor, or an {@code .onnx} file with a descriptor
 * of the same stem beside it, or an {@code .onnx} file that a built-in descriptor names.
 */
public final class ModelCatalog {
  private static final String BUILTIN = "/ai/edgeai/vision/models/";
  private static final List<String> DESCRIPTOR_EXTENSIONS = List.of(".yaml", ".yml", ".json");
  private final List<Path> modelDirs;

  public ModelCatalog(List<Path> modelDirs) {
    this.modelDirs = List.copyOf(modelDirs);
  }

  /** The per-user default: {@code $EDGEAI_MODELS_DIR}, else {@code ~/.local/share/edgeai/models}. */
  public static Path defaultModelsDir() {
    String env = System.getenv("EDGEAI_MODELS_DIR");
    if (env != null && !env.isBlank()) return Path.of(env);
    String xdg = System.getenv("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return data.resolve("edgeai").resolve("models");
  }

  public List<Path> modelDirs() { return modelDirs; }

  /** Names of the descriptors shipped in the jar. */
  public static List<String> builtinNames() {
    try (InputStream in = ModelCatalog.class.getResourceAsStream(BUILTIN + "index.txt")) {
      if (in == null) return List.of();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
    } catch (IOException e) {
      throw new IllegalStateException("reading built-in descriptor index", e);
    }
  }

  /** Parses the built-in descriptor {@code name}, resolving its model file in the models folders. */
  public ModelDescriptor builtin(String name) {
    String text = builtinText(name);
    if (text == null) throw new VisionException("no built-in model descriptor named '" + name + "'");
    return DescriptorParser.parse(text, "built-in:" + name, modelDirs);
  }

  /**
   * Resolves {@code --model} input.
   *
   * @throws VisionException naming what was looked for and where
   */
  public ModelDescriptor resolve(String nameOrPath) {
    if (looksLikePath(nameOrPath)) return resolvePath(Path.of(nameOrPath));
    for (Path dir : modelDirs) {
      for (String ext : DESCRIPTOR_EXTENSIONS) {
        Path f = dir.resolve(nameOrPath + ext);
        if (Files.isRegularFile(f)) return DescriptorParser.parseFile(f);
      }
    }
    if (builtinText(nameOrPath) != null) return builtin(nameOrPath);
    throw new VisionException("unknown model '" + nameOrPath + "': no descriptor " + nameOrPath + ".yaml in " + modelDirs
        + " and no built-in one (built-in: " + String.join(", ", builtinNames()) + ")");
  }

  private static boolean looksLikePath(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return s.contains("/") || s.contains(java.io.File.separator) || l.endsWith(".onnx")
        || DESCRIPTOR_EXTENSIONS.stream().anyMatch(l::endsWith);
  }

  private ModelDescriptor resolvePath(Path p) {
    if (!Files.isRegularFile(p)) throw new VisionException("model file not found: " + p);
    String fileName = p.getFileName().toString();
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (DESCRIPTOR_EXTENSIONS.stream().anyMatch(lower::endsWith)) return DescriptorParser.parseFile(p);
    String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    for (String ext : DESCRIPTOR_EXTENSIONS) {
      Path d = p.resolveSibling(stem + ext);
      if (Files.isRegularFile(d)) return withModel(DescriptorParser.parseFile(d), p);
    }
    for (String name : builtinNames()) {
      ModelDescriptor b = builtin(name);
      if (b.model().getFileName().toString().equals(fileName)) return withModel(b, p);
    }
    throw new VisionException("no descriptor for model " + p + ": write " + p.resolveSibling(stem + ".yaml")
        + " (format in docs/vision.md)");
  }

  private static ModelDescriptor withModel(ModelDescriptor d, Path model) {
    return new ModelDescriptor(d.name(), d.task(), model, d.source(), d.input(), d.outputs(), d.decoder(), d.thresholds(), d.labels());
  }

  private static String builtinText(String name) {
    if (!name.matches("[A-Za-z0-9._-]+")) return null;
    try (InputStream in = ModelCatalog.class.getResourceAsStream(BUILTIN + name + ".yaml")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("reading built-in descriptor " + name, e);
    }
  }

  /** All descriptors this catalogue can see: users' own first, then built-in ones. */
  public List<ModelDescriptor> list() {
    List<ModelDescriptor> out = new ArrayList<>();
    for (Path dir : modelDirs) {
      if (!Files.isDirectory(dir)) continue;
      try (var files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          String l = f.getFileName().toString().toLowerCase(Locale.ROOT);
          if (DESCRIPTOR_EXTENSIONS.stream().anyMatch(l::endsWith)) out.add(DescriptorParser.parseFile(f));
        }
      } catch (IOException e) {
        throw new VisionException("cannot list models folder " + dir + ": " + e.getMessage());
      }
    }
    for (String n : builtinNames()) out.add(builtin(n));
    return out;
  }
}
