package ai.edgeai.llm.gguf;

import java.util.Objects;

/**
 * A metadata array. {@code values} is a primitive array matching the element type: byte[] for
 * UINT8/INT8/BOOL, short[] for UINT16/INT16, int[] for UINT32/INT32, long[] for UINT64/INT64,
 * float[] for FLOAT32, double[] for FLOAT64, String[] for STRING and GgufArray[] for nested arrays.
 * Unsigned elements keep their bit pattern (read them with the unsigned helpers).
 */
public record GgufArray(GgufValueType elementType, Object values) {

  public GgufArray {
    Objects.requireNonNull(elementType, "elementType");
    Objects.requireNonNull(values, "values");
  }

  public int length() {
    return java.lang.reflect.Array.getLength(values);
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
}
