package ai.edgeai.llm.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Numeric getters accept any integer width a
 * writer may have chosen (u8 ... i64), because writers differ; a value of the wrong kind is a
 * {@link ModelFormatException} naming the key.
 *
 * <p>Scalars are stored boxed: Byte/Short/Integer/Long for integers (unsigned kept as bit patterns,
 * see {@link #type}), Float, Double, Boolean, String; arrays as {@link GgufArray}.
 */
public final class GgufMetadata {

  private final Path file;
  private final Map<String, Object> values;
  private final Map<String, GgufValueType> types;

  public GgufMetadata(Path file, Map<String, Object> values, Map<String, GgufValueType> types) {
    this.file = file;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
  }

  public Set<String> keys() {
    return values.keySet();
  }

  public boolean contains(String key) {
    return values.containsKey(key);
  }

  /** The raw value or null. */
  public Object get(String key) {
    return values.get(key);
  }

  /** The stored type of {@code key}, or null when absent. */
  public GgufValueType type(String key) {
    return types.get(key);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  private Object required(String key) {
    Object v = values.get(key);
    if (v == null) throw new ModelFormatException(file, "missing required metadata key '" + key + "'");
    return v;
  }

  private ModelFormatException wrongType(String key, String expected) {
    return new ModelFormatException(
        file, "metadata key '" + key + "' has type " + types.get(key) + ", expected " + expected);
  }

  public String getString(String key) {
    Object v = required(key);
    if (v instanceof String s) return s;
    throw wrongType(key, "a string");
  }

  public Optional<String> string(String key) {
    return contains(key) ? Optional.of(getString(key)) : Optional.empty();
  }

  /** Any integer type, widened (unsigned types zero-extended). */
  public long getLong(String key) {
    Object v = required(key);
    GgufValueType t = types.get(key);
    if (t == null || !t.isInteger()) throw wrongType(key, "an integer");
    long x = ((Number) v).longValue();
    return switch (t) {
      case UINT8 -> x & 0xFF;
      case UINT16 -> x & 0xFFFF;
      case UINT32 -> x & 0xFFFFFFFFL;
      default -> x;
    };
  }

  public long getLong(String key, long defaultValue) {
    return contains(key) ? getLong(key) : defaultValue;
  }

  /** Any integer type that fits an int; a value outside int's range names the key. */
  public int getInt(String key) {
    long x = getLong(key);
    if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
      throw new ModelFormatException(file, "metadata key '" + key + "' = " + x + " does not fit an int");
    }
    return (int) x;
  }

  public int getInt(String key, int defaultValue) {
    return contains(key) ? getInt(key) : defaultValue;
  }

  /**
   * A token id: any integer type; u32 0xFFFFFFFF and negative values mean "none" and give -1
   * (llama.cpp's converters write 0xFFFFFFFF for absent separator/pad tokens).
   */
  public int getTokenId(String key) {
    if (!contains(key)) return -1;
    long x = getLong(key);
    if (x < 0 || x == 0xFFFFFFFFL || x > Integer.MAX_VALUE) return -1;
    return (int) x;
  }

  /** Any numeric type as a double. */
  public double getDouble(String key) {
    Object v = required(key);
    if (v instanceof Number n && !(v instanceof Boolean)) {
      GgufValueType t = types.get(key);
      return t != null && t.isInteger() ? getLong(key) : n.doubleValue();
    }
    throw wrongType(key, "a number");
  }

  public float getFloat(String key) {
    return (float) getDouble(key);
  }

  public float getFloat(String key, float defaultValue) {
    return contains(key) ? getFloat(key) : defaultValue;
  }

  public boolean getBool(String key) {
    Object v = required(key);
    if (v instanceof Boolean b) return b;
    throw wrongType(key, "a bool");
  }

  public boolean getBool(String key, boolean defaultValue) {
    return contains(key) ? getBool(key) : defaultValue;
  }

  public GgufArray getArray(String key) {
    Object v = required(key);
    if (v instanceof GgufArray a) return a;
    throw wrongType(key, "an array");
  }

  public String[] getStringArray(String key) {
    GgufArray a = getArray(key);
    if (a.elementType() != GgufValueType.STRING) throw wrongType(key, "an array of strings");
    return a.toStringArray();
  }

  /** An array of any numeric type as floats. */
  public float[] getFloatArray(String key) {
    GgufArray a = getArray(key);
    if (a.elementType() == GgufValueType.FLOAT32) return ((float[]) a.values()).clone();
    if (a.elementType() == GgufValueType.STRING || a.elementType() == GgufValueType.ARRAY) {
      throw wrongType(key, "an array of numbers");
    }
    float[] out = new float[a.length()];
    for (int i = 0; i < out.length; i++) out[i] = (float) a.getDouble(i);
    return out;
  }

  /** An array of any integer type as ints (values must fit). */
  public int[] getIntArray(String key) {
    GgufArray a = getArray(key);
    GgufValueType t = a.elementType();
    if (!(t.isInteger() || t == GgufValueType.BOOL)) throw wrongType(key, "an array of integers");
    int[] out = new int[a.length()];
    for (int i = 0; i < out.length; i++) {
      long x = a.getLong(i);
      if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
        throw new ModelFormatException(file, "metadata key '" + key + "'[" + i + "] = " + x + " does not fit an int");
      }
      out[i] = (int) x;
    }
    return out;
  }
}
