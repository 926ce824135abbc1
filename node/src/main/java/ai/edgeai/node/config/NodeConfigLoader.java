package ai.edgeai.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads {@link NodeConfig} from YAML strictly: unknown keys, wrong types and invalid values are
 * rejected with the file name and the key path (e.g. {@code cameras[0].fps}).
 */
public final class NodeConfigLoader {

  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private NodeConfigLoader() {}

  public static NodeConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses YAML text; {@code origin} names it in error messages. */
  public static NodeConfig parse(String yaml, String origin) {
    try {
      NodeConfig c = YAML.readValue(yaml, NodeConfig.class);
      if (c == null) throw new ConfigException(origin + ": the file is empty");
      return c;
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(origin + ": unknown key '" + join(path(e), e.getPropertyName())
          + "'" + (known.isEmpty() ? "" : " (known keys here: " + known + ")"), e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String where = path(e);
      throw new ConfigException(origin + ": " + (where.isEmpty() ? "" : where + ": ") + cause.getMessage(), e);
    } catch (InvalidFormatException e) {
      throw new ConfigException(origin + ": " + path(e) + ": '" + e.getValue() + "' is not a valid "
          + simpleType(e.getTargetType()), e);
    } catch (MismatchedInputException e) {
      throw new ConfigException(origin + ": " + path(e) + ": expected " + simpleType(e.getTargetType())
          + " (" + firstLine(e.getOriginalMessage()) + ")", e);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException syntax && !(syntax instanceof JsonMappingException)) {
        throw syntaxError(origin, syntax);
      }
      throw new ConfigException(origin + ": " + path(e) + ": " + firstLine(e.getOriginalMessage()), e);
    } catch (JsonProcessingException e) {
      throw syntaxError(origin, e);
    }
  }

  private static ConfigException syntaxError(String origin, JsonProcessingException e) {
    var loc = e.getLocation();
    return new ConfigException(origin + ": not valid YAML" + (loc == null ? "" : " at line " + loc.getLineNr())
        + ": " + firstLine(e.getOriginalMessage()), e);
  }

  private static String simpleType(Class<?> t) {
    if (t == null) return "value";
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "integer";
    if (t == Double.class || t == double.class) return "number";
    if (t == Boolean.class || t == boolean.class) return "boolean (true/false)";
    if (t == String.class) return "string";
    if (java.util.List.class.isAssignableFrom(t)) return "list";
    if (java.util.Map.class.isAssignableFrom(t)) return "mapping";
    return "mapping (" + t.getSimpleName() + ")";
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The key path of a mapping error, e.g. {@code cameras[1].detect.width}. */
  static String path(JsonMappingException e) {
    var sb = new StringBuilder();
    var refs = e.getPath();
    // The last reference of an unknown-property error is the unknown key itself.
    int n = e instanceof UnrecognizedPropertyException ? refs.size() - 1 : refs.size();
    for (int i = 0; i < n; i++) {
      var r = refs.get(i);
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
