package ai.edgeai.llm.gguf;

/** GGUF metadata value types with their on-disk ids. */
public enum GgufValueType {
  UINT8(0, 1),
  INT8(1, 1),
  UINT16(2, 2),
  INT16(3, 2),
  UINT32(4, 4),
  INT32(5, 4),
  FLOAT32(6, 4),
  BOOL(7, 1),
  STRING(8, -1),
  ARRAY(9, -1),
  UINT64(10, 8),
  INT64(11, 8),
  FLOAT64(12, 8);

  private final int id;
  private final int size;

  GgufValueType(int id, int size) {
    this.id = id;
    this.size = size;
  }

  public int id() {
    return id;
  }

  /** Fixed byte size of a scalar of this type, -1 for STRING and ARRAY. */
  public int size() {
    return size;
  }

  public boolean isInteger() {
    return this == UINT8 || this == INT8 || this == UINT16 || this == INT16 || this == UINT32
        || this == INT32 || this == UINT64 || this == INT64;
  }

  /** The type with this id, or null. */
  public static GgufValueType byId(int id) {
    for (GgufValueType t : values()) if (t.id == id) return t;
    return null;
  }
}
