package ai.edgeai.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Finds and reads {@code edgeai.yaml}: the file given with {@code --config}, else
 * {@code ./edgeai.yaml}, else {@code edgeai.yaml} in the user config folder, else defaults.
 * Unknown keys, wrong types, invalid values and malformed YAML are rejected with a
 * {@link ConfigException} whose one-line message names the file and the key's full path.
 */
public final class ConfigLoader {

  public static final String FILE_NAME = "edgeai.yaml";

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // "1883" in quotes is a string, not a port: types must be written as what they are.
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      // The node's records name their components in camelCase; the file spells keys in snake_case.
      // (Records with explicit @JsonProperty names keep them.)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .build();

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param explicit the {@code --config} file, or null to search the usual places
   */
  public static LoadedConfig load(Path explicit, HostEnvironment host) {
    Optional<Path> source = locate(explicit, host);
    EdgeaiConfig config = source.map(ConfigLoader::read).orElseGet(EdgeaiConfig::defaults);
    Path baseDir = source.map(p -> p.toAbsolutePath().getParent()).orElse(host.workingDir());
    return new LoadedConfig(
        config.withDefaultsResolved(baseDir, host.home(), host.defaultModelsDir()), source);
  }

  /** The file that {@link #load} would read, if any. */
  public static Optional<Path> locate(Path explicit, HostEnvironment host) {
    if (explicit != null) {
      return Optional.of(host.workingDir().resolve(explicit));
    }
    for (Path candidate : new Path[] {
        host.workingDir().resolve(FILE_NAME), host.userConfigDir().resolve(FILE_NAME)}) {
      if (Files.exists(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Parses one file; an empty file (or one with only comments) means all defaults. */
  static EdgeaiConfig read(Path file) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException("cannot read config file " + file + ": it is a directory", null);
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("cannot read config file " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException("cannot read config file " + file + ": permission denied", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException("cannot read config file " + file + ": not valid UTF-8", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses YAML text; {@code origin} names it in error messages. */
  public static EdgeaiConfig parse(String yaml, String origin) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(origin + ": malformed YAML: " + yamlProblem(e), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return EdgeaiConfig.defaults();
    }
    if (!tree.isObject()) {
      throw new ConfigException(origin + ": expected a mapping of sections (like 'mqtt:'), got "
          + describe(tree), null);
    }
    try {
      return MAPPER.treeToValue(tree, EdgeaiConfig.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(origin + ": " + explain(e, tree), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(origin + ": " + oneLine(e.getOriginalMessage()), e);
    }
  }

  /** SnakeYAML's own problem and position, without the multi-line source excerpt. */
  private static String yamlProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null) {
      String where = m.getProblemMark() == null ? ""
          : " (line " + (m.getProblemMark().getLine() + 1) + ", column "
              + (m.getProblemMark().getColumn() + 1) + ")";
      return oneLine(m.getProblem()) + where;
    }
    String where = e.getLocation() != null && e.getLocation().getLineNr() > 0
        ? " (line " + e.getLocation().getLineNr() + ")" : "";
    String message = oneLine(e.getOriginalMessage());
    if (message.startsWith("Duplicate field ")) {
      message = "duplicate key " + message.substring("Duplicate field ".length());
    }
    return message + where;
  }

  private static String explain(JsonMappingException e, JsonNode tree) {
    String path = path(e);
    String prefix = path.isEmpty() ? "" : path + ": ";
    if (e instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return prefix + "unknown key" + (known.isEmpty() ? "" : " (known keys here: " + known + ")");
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException iae) {
      String msg = oneLine(iae.getMessage());
      if (path.isEmpty()) return msg;
      // The CLI's records start their messages with the component name ("port: must be ..."); the
      // node's name the whole key themselves ("mqtt.port out of range ...", "camera 'a': ...").
      String section = path.split("[.\\[]", 2)[0];
      if (msg.startsWith(section + ".") || msg.startsWith(section + " ")) return msg;
      if (msg.matches("[a-z_]+: .*")) return path + "." + msg;
      return path + ": " + msg;
    }
    if (e instanceof InvalidFormatException f) {
      return prefix + "expected " + expected(f.getTargetType()) + ", got " + quote(f.getValue());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return prefix + "expected " + expected(m.getTargetType()) + ", got " + got(e, tree);
    }
    return prefix + oneLine(e.getOriginalMessage());
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));
    }
    if (type.isRecord()) return "a mapping of keys (a section)";
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) return "a list";
    return type.getSimpleName();
  }

  /** The value found at the failing path, described for the user. */
  private static String got(JsonMappingException e, JsonNode tree) {
    JsonNode node = tree;
    for (JsonMappingException.Reference ref : e.getPath()) {
      node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
    }
    return node.isMissingNode() ? "nothing" : describe(node);
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) return "a list";
    if (node.isObject()) return "a mapping";
    if (node.isTextual()) return quote(node.textValue());
    return node.toString();
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
