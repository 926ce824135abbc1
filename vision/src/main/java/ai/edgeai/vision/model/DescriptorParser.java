package ai.edgeai.vision.model;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.image.ColorOrder;
import ai.edgeai.vision.image.PadCorner;
import ai.edgeai.vision.image.PreprocessSpec;
import ai.edgeai.vision.image.ResizeMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses model descriptors (YAML, and therefore JSON too). Unknown fields are errors so that a typo
 * does not silently fall back to a default; every error names the descriptor and the field.
 */
public final class DescriptorParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP = Set.of("name", "task", "file", "description", "licence", "license", "input", "outputs", "decoder", "thresholds", "labels", "labels_file");
  private static final Set<String> INPUT = Set.of("name", "width", "height", "layout", "color", "mean", "std", "resize", "pad_value", "pad_corner");
  private static final Set<String> THRESHOLDS = Set.of("score", "nms", "class_agnostic", "max_detections");
  private static volatile List<String> coco;

  private DescriptorParser() {}

  /**
   * Parses descriptor text.
   *
   * @param source name used in error messages (file path or built-in name)
   * @param searchDirs directories in which a relative {@code file}/{@code labels_file} is looked up, in order
   */
  public static ModelDescriptor parse(String text, String source, List<Path> searchDirs) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new VisionException("descriptor " + source + " is not valid YAML/JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) throw new VisionException("descriptor " + source + " must be a mapping of fields");
    Ctx c = new Ctx(source);
    c.checkKeys(root, TOP, "");
    String name = c.text(root, "name", null);
    Task task = Task.parse(c.text(root, "task", null));
    if (task == null) {
      throw new VisionException("descriptor " + source + ": field 'task' must be one of detection, face-detection, face-embedding, reid-embedding");
    }
    Path model = resolve(c.text(root, "file", null), searchDirs);
    JsonNode in = c.object(root, "input");
    c.checkKeys(in, INPUT, "input.");
    try {
      PreprocessSpec pre = new PreprocessSpec(
          c.integer(in, "width", "input."), c.integer(in, "height", "input."),
          c.enumValue(in, "color", ColorOrder.class, "RGB", "input."),
          c.floats3(in, "mean", 0f, "input."), c.floats3(in, "std", 1f, "input."),
          c.enumValue(in, "resize", ResizeMode.class, "STRETCH", "input."),
          in.has("pad_value") ? (float) c.number(in, "pad_value", "input.") : 0f,
          c.enumValue(in, "pad_corner", PadCorner.class, "TOP_LEFT", "input."));
      InputSpec input = new InputSpec(c.text(in, "name", "input."), in.path("layout").asText("NCHW").toUpperCase(Locale.ROOT), pre);

      Map<String, long[]> outputs = new LinkedHashMap<>();
      JsonNode outs = root.get("outputs");
      if (outs != null) {
        if (!outs.isObject()) throw c.error("outputs", "must map output names to shapes, e.g. {boxes: [1, -1, 4]}");
        for (Iterator<Map.Entry<String, JsonNode>> it = outs.fields(); it.hasNext(); ) {
          var e = it.next();
          if (!e.getValue().isArray()) throw c.error("outputs." + e.getKey(), "must be a list of dimensions");
          long[] shape = new long[e.getValue().size()];
          for (int i = 0; i < shape.length; i++) shape[i] = e.getValue().get(i).asLong();
          outputs.put(e.getKey(), shape);
        }
      }

      JsonNode dec = c.object(root, "decoder");
      Map<String, Object> params = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = dec.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getKey().equals("type")) params.put(e.getKey(), YAML.treeToValue(e.getValue(), Object.class));
      }
      DecoderSpec decoder = new DecoderSpec(c.text(dec, "type", "decoder."), params);

      JsonNode th = root.path("thresholds");
      if (!th.isMissingNode()) c.checkKeys(th, THRESHOLDS, "thresholds.");
      Thresholds thresholds = new Thresholds(
          th.has("score") ? c.number(th, "score", "thresholds.") : 0.5,
          th.has("nms") ? c.number(th, "nms", "thresholds.") : 0.45,
          th.path("class_agnostic").asBoolean(false),
          th.has("max_detections") ? c.integer(th, "max_detections", "thresholds.") : 300);

      List<String> labels = labels(root, c, searchDirs);
      return new ModelDescriptor(name, task, model, source, input, outputs, decoder, thresholds, labels);
    } catch (IllegalArgumentException | IOException e) {
      throw new VisionException("descriptor " + source + ": " + e.getMessage());
    }
  }

  /** Reads and parses a descriptor file; relative paths in it are resolved beside it. */
  public static ModelDescriptor parseFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new VisionException("cannot read descriptor " + file + ": " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), List.of(dir));
  }

  private static Path resolve(String file, List<Path> dirs) {
    Path p = Path.of(file);
    if (p.isAbsolute() || dirs.isEmpty()) return p;
    for (Path d : dirs) {
      if (Files.exists(d.resolve(file))) return d.resolve(file).normalize();
    }
    return dirs.getFirst().resolve(file).normalize();
  }

  private static List<String> labels(JsonNode root, Ctx c, List<Path> dirs) throws IOException {
    JsonNode labels = root.get("labels");
    if (root.has("labels_file")) {
      Path f = resolve(c.text(root, "labels_file", null), dirs);
      if (!Files.isRegularFile(f)) throw c.error("labels_file", "file not found: " + f);
      return Files.readAllLines(f).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
    if (labels == null) return List.of();
    if (labels.isTextual() && labels.asText().equalsIgnoreCase("coco")) return cocoLabels();
    if (!labels.isArray()) throw c.error("labels", "must be a list of names, or 'coco'");
    List<String> out = new ArrayList<>();
    labels.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The 80 COCO class names in the order YOLOX, NanoDet and PicoDet output them. */
  public static List<String> cocoLabels() {
    List<String> l = coco;
    if (l == null) {
      try (InputStream in = DescriptorParser.class.getResourceAsStream("/ai/edgeai/vision/models/coco.names")) {
        l = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
      } catch (IOException | NullPointerException e) {
        throw new IllegalStateException("built-in coco.names missing from the classpath", e);
      }
      coco = l;
    }
    return l;
  }

  private record Ctx(String source) {
    VisionException error(String field, String what) {
      return new VisionException("descriptor " + source + ": field '" + field + "' " + what);
    }

    void checkKeys(JsonNode node, Set<String> allowed, String prefix) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) throw error(prefix + k, "is not a known field (known: " + new java.util.TreeSet<>(allowed) + ")");
      }
    }

    String text(JsonNode n, String field, String prefix) {
      JsonNode v = n.get(field);
      String full = (prefix == null ? "" : prefix) + field;
      if (v == null || v.isNull()) throw error(full, "is missing");
      if (!v.isValueNode()) throw error(full, "must be a string");
      return v.asText();
    }

    JsonNode object(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isObject()) throw error(field, "is missing or not a mapping");
      return v;
    }

    int integer(JsonNode n, String field, String prefix) {
      JsonNode v = n.get(field);
      if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) throw error(prefix + field, "must be an integer");
      return v.intValue();
    }

    double number(JsonNode n, String field, String prefix) {
      JsonNode v = n.get(field);
      if (v == null || !v.isNumber()) throw error(prefix + field, "must be a number");
      return v.doubleValue();
    }

    float[] floats3(JsonNode n, String field, float fallback, String prefix) {
      JsonNode v = n.get(field);
      if (v == null) return new float[] {fallback, fallback, fallback};
      if (v.isNumber()) return new float[] {v.floatValue(), v.floatValue(), v.floatValue()};
      if (!v.isArray() || v.size() != 3) throw error(prefix + field, "must be a number or a list of 3 numbers");
      float[] out = new float[3];
      for (int i = 0; i < 3; i++) {
        if (!v.get(i).isNumber()) throw error(prefix + field, "must be a number or a list of 3 numbers");
        out[i] = v.get(i).floatValue();
      }
      return out;
    }

    <E extends Enum<E>> E enumValue(JsonNode n, String field, Class<E> type, String fallback, String prefix) {
      String s = n.path(field).asText(fallback).toUpperCase(Locale.ROOT).replace('-', '_');
      try {
        return Enum.valueOf(type, s);
      } catch (IllegalArgumentException e) {
        throw error(prefix + field, "has unknown value '" + n.path(field).asText() + "' (allowed: "
            + java.util.Arrays.stream(type.getEnumConstants()).map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList() + ")");
      }
    }
  }
}
