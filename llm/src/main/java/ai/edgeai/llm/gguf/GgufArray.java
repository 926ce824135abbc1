package ai.edgeai.llm.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A metadata array. {@link #values} is a primitive array matching the element type: byte[] for
 * UINT8/INT8/BOOL, short[] for UINT16/INT16, int[] for UINT32/INT32, long[] for UINT64/INT64,
 * float[] for FLOAT32, double[] for FLOAT64, String[] for STRING and GgufArray[] for nested arrays.
 * Unsigned elements keep their bit pattern (read them with the unsigned helpers).
 *
 * <p>A string array read from a file stays in the file's mapping (a vocabulary of 128 K tokens and
 * 280 K merges would otherwise be ~400 K String objects, ~25 MB of heap, for the model's lifetime):
 * {@link #getString} decodes one element, {@link #values} decodes them all into a new array on each
 * call, and both are valid only while the {@link GgufFile} is open.
 */
public final class GgufArray {

  private final GgufValueType elementType;
  /** The elements as documented; null for a string array that stays in the mapping. */
  private final Object values;
  /** A mapped string array: the bytes of its elements (each an 8-byte length and UTF-8 bytes). */
  private final MemorySegment strings;
  /** A mapped string array: where element i's length field starts in {@link #strings}. */
  private final int[] stringOffsets;

  public GgufArray(GgufValueType elementType, Object values) {
    this.elementType = Objects.requireNonNull(elementType, "elementType");
    this.values = Objects.requireNonNull(values, "values");
    this.strings = null;
    this.stringOffsets = null;
  }

  /** A string array over {@code strings}, already bounds-checked by the reader. */
  GgufArray(MemorySegment strings, int[] stringOffsets) {
    this.elementType = GgufValueType.STRING;
    this.values = null;
    this.strings = strings;
    this.stringOffsets = stringOffsets;
  }

  public GgufValueType elementType() {
    return elementType;
  }

  /**
   * The elements (see the class comment for the array type). For a string array read from a file,
   * a new String[] decoded from the mapping on each call.
   */
  public Object values() {
    return values != null ? values : decodeAll();
  }

  public int length() {
    return values != null ? java.lang.reflect.Array.getLength(values) : stringOffsets.length;
  }

  /** Element {@code i} of a string array. */
  public String getString(int i) {
    if (elementType != GgufValueType.STRING) throw new IllegalStateException("not a string array: " + elementType);
    if (values != null) return ((String[]) values)[i];
    long at = stringOffsets[i];
    long len = strings.get(GgufFile.I64, at);
    return new String(strings.asSlice(at + 8, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
  }

  /** The elements of a string array as a new String[] (a copy: changing it changes nothing here). */
  String[] toStringArray() {
    if (elementType != GgufValueType.STRING) throw new IllegalStateException("not a string array: " + elementType);
    return values != null ? ((String[]) values).clone() : decodeAll();
  }

  /**
   * This array with every string array in it (nested ones too) decoded onto the heap, so that it
   * outlives the file; this array itself when nothing in it is mapped.
   */
  GgufArray detached() {
    if (values == null) return new GgufArray(GgufValueType.STRING, decodeAll());
    if (values instanceof GgufArray[] nested) {
      GgufArray[] copy = null;
      for (int i = 0; i < nested.length; i++) {
        GgufArray d = nested[i] == null ? null : nested[i].detached();
        if (d != nested[i] && copy == null) copy = nested.clone();
        if (copy != null) copy[i] = d;
      }
      if (copy != null) return new GgufArray(elementType, copy);
    }
    return this;
  }

  private String[] decodeAll() {
    String[] a = new String[stringOffsets.length];
    for (int i = 0; i < a.length; i++) a[i] = getString(i);
    return a;
  }

  /** Element {@code i} widened to long (integers, unsigned ones zero-extended, and bools). */
  public long getLong(int i) {
    return switch (elementType) {
      case UINT8, BOOL -> ((byte[]) values)[i] & 0xFFL;
      case INT8 -> ((byte[]) values)[i];
      case UINT16 -> ((short[]) values)[i] & 0xFFFFL;
      case INT16 -> ((short[]) values)[i];
      case UINT32 -> ((int[]) values)[i] & 0xFFFFFFFFL;
      case INT32 -> ((int[]) values)[i];
      case UINT64, INT64 -> ((long[]) values)[i];
      default -> throw new IllegalStateException("not an integer array: " + elementType);
    };
  }

  /** Element {@code i} as a double (any numeric type). */
  public double getDouble(int i) {
    return switch (elementType) {
      case FLOAT32 -> ((float[]) values)[i];
      case FLOAT64 -> ((double[]) values)[i];
      default -> getLong(i);
    };
  }

  /** As the record this class was: same element type and the same values array (not its contents); a mapped array equals only itself. */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof GgufArray a && values != null && a.elementType == elementType && a.values == values);
  }

  @Override
  public int hashCode() {
    return values != null ? 31 * elementType.hashCode() + System.identityHashCode(values) : System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "GgufArray[elementType=" + elementType + ", length=" + length() + "]";
  }
}
