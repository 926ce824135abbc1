package ai.edgeai.llm.gguf;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import ai.edgeai.llm.tensor.UnsupportedTensorTypeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A memory-mapped GGUF file (versions 2 and 3, little-endian). The whole file is mapped once; tensor
 * data are slices of that mapping and are never copied to the heap, nor are the elements of string
 * arrays in the metadata (a vocabulary; see {@link GgufArray}). Closing the file unmaps it, after which
 * every slice handed out, and those string arrays, are invalid.
 *
 * <p>Every count, length, offset and dimension is checked against the file before it is used, so a
 * corrupt or truncated file fails with a {@link ModelFormatException} naming the key or tensor,
 * never with an OOM, a hang or another exception type.
 */
public final class GgufFile implements AutoCloseable {

  public static final int MAGIC = 0x46554747; // "GGUF" read little-endian
  public static final int DEFAULT_ALIGNMENT = 32;
  public static final int MAX_TENSOR_NAME = 64; // GGML_MAX_NAME
  public static final int MAX_DIMS = 4;
  public static final int MAX_KEY_LENGTH = 65535;
  private static final int MAX_ARRAY_NESTING = 8;

  static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Path path;
  private final Arena arena;
  private final MemorySegment mapping;
  private final int version;
  private final int alignment;
  private final GgufMetadata metadata;
  private final List<GgufTensorInfo> tensors;
  private final Map<String, GgufTensorInfo> tensorsByName;
  private final long dataOffset;

  private GgufFile(Path path, Arena arena, MemorySegment mapping) {
    this.path = path;
    this.arena = arena;
    this.mapping = mapping;
    Reader r = new Reader(path, mapping);
    int magic = r.i32("magic");
    if (magic != MAGIC) {
      throw new ModelFormatException(path, String.format("not a GGUF file (magic 0x%08x, expected 0x%08x \"GGUF\")", magic, MAGIC));
    }
    int v = r.i32("version");
    if (v == 1) throw new ModelFormatException(path, "GGUF version 1 is obsolete and not supported (re-convert the model)");
    if (v == 0x02000000 || v == 0x03000000) {
      throw new ModelFormatException(path, "big-endian GGUF files are not supported (version field reads 0x" + Integer.toHexString(v) + ")");
    }
    if (v != 2 && v != 3) throw new ModelFormatException(path, "unsupported GGUF version " + Integer.toUnsignedString(v) + " (supported: 2, 3)");
    this.version = v;
    long tensorCount = r.u64("tensor_count");
    long kvCount = r.u64("metadata_kv_count");
    // Each tensor info takes at least 8+4+8+4+8 bytes, each kv at least 8+1+4+1: counts beyond that cannot be real.
    if (tensorCount < 0 || tensorCount > r.remaining() / 32) {
      throw new ModelFormatException(path, "tensor_count " + Long.toUnsignedString(tensorCount) + " is larger than the file can hold");
    }
    if (kvCount < 0 || kvCount > r.remaining() / 14) {
      throw new ModelFormatException(path, "metadata_kv_count " + Long.toUnsignedString(kvCount) + " is larger than the file can hold");
    }

    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, GgufValueType> types = new LinkedHashMap<>();
    for (long i = 0; i < kvCount; i++) {
      String key = r.string("metadata key #" + i, MAX_KEY_LENGTH);
      if (key.isEmpty()) throw new ModelFormatException(path, "metadata key #" + i + " is empty");
      if (values.containsKey(key)) throw new ModelFormatException(path, "duplicate metadata key '" + key + "'");
      int typeId = r.i32("type of metadata key '" + key + "'");
      GgufValueType type = GgufValueType.byId(typeId);
      if (type == null) throw new ModelFormatException(path, "metadata key '" + key + "' has unknown value type " + Integer.toUnsignedString(typeId));
      values.put(key, r.value(type, key, 0));
      types.put(key, type);
    }
    this.metadata = new GgufMetadata(path, values, types);

    int align = DEFAULT_ALIGNMENT;
    if (metadata.contains("general.alignment")) {
      long a = metadata.getLong("general.alignment");
      if (a <= 0 || a > (1 << 30) || (a & (a - 1)) != 0) {
        throw new ModelFormatException(path, "metadata key 'general.alignment' = " + a + " is not a power of two");
      }
      align = (int) a;
    }
    this.alignment = align;

    List<GgufTensorInfo> infos = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
    Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
    for (long i = 0; i < tensorCount; i++) {
      String name = r.string("name of tensor #" + i);
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_TENSOR_NAME) {
        throw new ModelFormatException(path, "tensor #" + i + " name '" + name + "' is longer than " + MAX_TENSOR_NAME + " bytes");
      }
      int nDims = r.i32("n_dims of tensor '" + name + "'");
      if (nDims < 1 || nDims > MAX_DIMS) {
        throw new ModelFormatException(path, "tensor '" + name + "' has " + Integer.toUnsignedString(nDims) + " dimensions (1.." + MAX_DIMS + " allowed)");
      }
      long[] dims = new long[nDims];
      long elements = 1;
      for (int d = 0; d < nDims; d++) {
        dims[d] = r.u64("dimension " + d + " of tensor '" + name + "'");
        if (dims[d] < 0) {
          throw new ModelFormatException(path, "tensor '" + name + "' dimension " + d + " = " + Long.toUnsignedString(dims[d]) + " is too large");
        }
        if (dims[d] == 0) throw new ModelFormatException(path, "tensor '" + name + "' dimension " + d + " is 0");
        try {
          elements = Math.multiplyExact(elements, dims[d]);
        } catch (ArithmeticException e) {
          throw new ModelFormatException(path, "tensor '" + name + "' dimensions overflow (product exceeds 2^63)");
        }
      }
      int typeId = r.i32("type of tensor '" + name + "'");
      GgmlType type = GgmlType.byId(typeId);
      if (type == null) throw new ModelFormatException(path, "tensor '" + name + "' has unknown ggml type " + Integer.toUnsignedString(typeId));
      if (dims[0] % type.blockSize() != 0) {
        throw new ModelFormatException(path, "tensor '" + name + "' row length " + dims[0] + " is not a multiple of the " + type + " block size " + type.blockSize());
      }
      long offset = r.u64("offset of tensor '" + name + "'");
      if (byName.containsKey(name)) throw new ModelFormatException(path, "duplicate tensor name '" + name + "'");
      GgufTensorInfo info = new GgufTensorInfo(name, dims, type, offset);
      infos.add(info);
      byName.put(name, info);
    }
    this.tensors = Collections.unmodifiableList(infos);
    this.tensorsByName = Collections.unmodifiableMap(byName);

    long pos = r.position();
    long dataStart = (pos + alignment - 1) / alignment * alignment;
    this.dataOffset = dataStart;
    long dataSize = mapping.byteSize() - dataStart;
    for (GgufTensorInfo t : infos) {
      if (t.offset() < 0 || t.offset() % alignment != 0) {
        throw new ModelFormatException(path, "tensor '" + t.name() + "' offset " + Long.toUnsignedString(t.offset()) + " is not a multiple of the alignment " + alignment);
      }
      long size;
      try {
        size = t.byteSize();
      } catch (ArithmeticException e) {
        throw new ModelFormatException(path, "tensor '" + t.name() + "' byte size overflows");
      }
      if (dataSize < 0 || t.offset() > dataSize || size > dataSize - t.offset()) {
        throw new ModelFormatException(path, "tensor '" + t.name() + "' data [" + t.offset() + ", +" + size + ") lies outside the file (data section is " + Math.max(0, dataSize) + " bytes)");
      }
    }
  }

  /** Memory-maps and parses {@code path}. */
  public static GgufFile open(Path path) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return new GgufFile(path, arena, seg);
    } catch (NoSuchFileException e) {
      arena.close();
      throw new NoSuchFileException(path.toString(), null, "model file not found");
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /**
   * Parses GGUF bytes already in memory (tests, fuzzing); {@code label} names them in messages.
   * Closing the result does not free {@code bytes}.
   */
  static GgufFile parse(Path label, MemorySegment bytes) {
    Arena arena = Arena.ofShared();
    try {
      return new GgufFile(label, arena, bytes);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public int version() {
    return version;
  }

  public int alignment() {
    return alignment;
  }

  public GgufMetadata metadata() {
    return metadata;
  }

  public List<GgufTensorInfo> tensors() {
    return tensors;
  }

  public Optional<GgufTensorInfo> tensor(String name) {
    return Optional.ofNullable(tensorsByName.get(name));
  }

  /** The tensor info named {@code name}; a missing tensor names itself in the exception. */
  public GgufTensorInfo requireTensor(String name) {
    GgufTensorInfo t = tensorsByName.get(name);
    if (t == null) throw new ModelFormatException(path, "missing required tensor '" + name + "'");
    return t;
  }

  /** Absolute file offset of the tensor data section. */
  public long dataOffset() {
    return dataOffset;
  }

  /** The mapped bytes of one tensor (a slice of the file mapping; valid until {@link #close()}). */
  public MemorySegment tensorData(GgufTensorInfo t) {
    return mapping.asSlice(dataOffset + t.offset(), t.byteSize());
  }

  /**
   * A {@link Tensor} view of {@code name} over the mapping (rows = product of dims[1..], cols =
   * dims[0]); a missing tensor or one whose rows are too long for an int names itself.
   *
   * @throws UnsupportedTensorTypeException when the type is valid but cannot be computed with
   */
  public Tensor openTensor(String name) {
    return openTensor(requireTensor(name));
  }

  /** A {@link Tensor} view of {@code t} (see {@link #openTensor(String)}). */
  public Tensor openTensor(GgufTensorInfo t) {
    if (t.dim(0) > Integer.MAX_VALUE - 8) {
      throw new ModelFormatException(path, "tensor '" + t.name() + "' rows of " + t.dim(0) + " elements are too long");
    }
    int cols = (int) t.dim(0);
    return new Tensor(t.name(), t.type(), t.elementCount() / cols, cols, tensorData(t));
  }

  /** The whole mapping. */
  public MemorySegment mapping() {
    return mapping;
  }

  public long fileSize() {
    return mapping.byteSize();
  }

  @Override
  public void close() {
    if (arena.scope().isAlive()) arena.close();
  }

  /** Bounds-checked little-endian cursor over the mapping. */
  private static final class Reader {
    private final Path path;
    private final MemorySegment seg;
    private long pos;

    Reader(Path path, MemorySegment seg) {
      this.path = path;
      this.seg = seg;
    }

    long position() {
      return pos;
    }

    long remaining() {
      return seg.byteSize() - pos;
    }

    private void need(long n, String what) {
      if (n < 0 || n > remaining()) throw truncated(n, what);
    }

    private ModelFormatException truncated(long n, String what) {
      return new ModelFormatException(path, "file is truncated: " + what + " needs " + (n < 0 ? Long.toUnsignedString(n) : n) + " bytes at offset " + pos + " but only " + remaining() + " remain");
    }

    /** Element {@code i} of string array {@code key}; the description is only built on failure (vocabularies are large). */
    String arrayString(String key, int i) {
      long len = arrayStringLength(key, i);
      String v = new String(seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
      pos += len;
      return v;
    }

    /** Reads and checks the length of element {@code i} of string array {@code key}, leaving the cursor on its bytes. */
    private long arrayStringLength(String key, int i) {
      if (remaining() < 8) throw truncated(8, "length of elements of array '" + key + "' [" + i + "]");
      long len = seg.get(I64, pos);
      pos += 8;
      if (len < 0 || len > remaining()) throw truncated(len, "elements of array '" + key + "' [" + i + "]");
      return len;
    }

    /**
     * A string array of {@code n} elements, checked here and left in the mapping (see {@link GgufArray});
     * decoded into Strings only when it spans more than 2 GiB, which int offsets cannot address.
     */
    private GgufArray stringArray(String key, int n) {
      long start = pos;
      int[] offsets = new int[n];
      for (int i = 0; i < n; i++) {
        long at = pos - start;
        if (at > Integer.MAX_VALUE) {
          pos = start;
          String[] a = new String[n];
          for (int j = 0; j < n; j++) a[j] = arrayString(key, j);
          return new GgufArray(GgufValueType.STRING, a);
        }
        offsets[i] = (int) at;
        long len = arrayStringLength(key, i); // moves the cursor past the length field
        pos += len;
      }
      return new GgufArray(seg.asSlice(start, pos - start), offsets);
    }

    int i32(String what) {
      need(4, what);
      int v = seg.get(I32, pos);
      pos += 4;
      return v;
    }

    long u64(String what) {
      need(8, what);
      long v = seg.get(I64, pos);
      pos += 8;
      return v;
    }

    String string(String what) {
      return string(what, Long.MAX_VALUE);
    }

    String string(String what, long maxLength) {
      long len = u64("length of " + what);
      if (len > maxLength || (len < 0 && maxLength != Long.MAX_VALUE)) {
        throw new ModelFormatException(path, what + " is " + Long.toUnsignedString(len) + " bytes long (at most " + maxLength + " allowed)");
      }
      need(len, what);
      byte[] b = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
      pos += len;
      return new String(b, StandardCharsets.UTF_8);
    }

    Object value(GgufValueType type, String key, int depth) {
      String what = "value of metadata key '" + key + "'";
      switch (type) {
        case UINT8, INT8: {
          need(1, what);
          byte b = seg.get(ValueLayout.JAVA_BYTE, pos++);
          return b;
        }
        case BOOL: {
          need(1, what);
          byte b = seg.get(ValueLayout.JAVA_BYTE, pos++);
          if (b != 0 && b != 1) throw new ModelFormatException(path, "metadata key '" + key + "' bool has value " + (b & 0xFF) + " (0 or 1 expected)");
          return b == 1;
        }
        case UINT16, INT16: {
          need(2, what);
          short s = seg.get(I16, pos);
          pos += 2;
          return s;
        }
        case UINT32, INT32:
          return i32(what);
        case FLOAT32: {
          need(4, what);
          float f = seg.get(F32, pos);
          pos += 4;
          return f;
        }
        case UINT64, INT64:
          return u64(what);
        case FLOAT64: {
          need(8, what);
          double d = seg.get(F64, pos);
          pos += 8;
          return d;
        }
        case STRING:
          return string(what);
        case ARRAY:
          return array(key, depth);
        default:
          throw new AssertionError(type);
      }
    }

    private GgufArray array(String key, int depth) {
      if (depth >= MAX_ARRAY_NESTING) throw new ModelFormatException(path, "metadata key '" + key + "' nests arrays deeper than " + MAX_ARRAY_NESTING);
      int typeId = i32("element type of array '" + key + "'");
      GgufValueType et = GgufValueType.byId(typeId);
      if (et == null) throw new ModelFormatException(path, "metadata key '" + key + "' is an array of unknown value type " + Integer.toUnsignedString(typeId));
      long count = u64("length of array '" + key + "'");
      // Smallest possible encoding per element: its fixed size, 8 bytes for a string length, 12 for a nested array header.
      long minSize = et == GgufValueType.STRING ? 8 : et == GgufValueType.ARRAY ? 12 : et.size();
      if (count < 0 || count > remaining() / minSize || count > Integer.MAX_VALUE - 8) {
        throw new ModelFormatException(path, "metadata key '" + key + "' array length " + Long.toUnsignedString(count) + " is larger than the file can hold");
      }
      int n = (int) count;
      switch (et) {
        case UINT8, INT8, BOOL: {
          byte[] a = seg.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
          if (et == GgufValueType.BOOL) {
            for (int i = 0; i < n; i++) {
              if (a[i] != 0 && a[i] != 1) {
                throw new ModelFormatException(path, "metadata key '" + key + "' bool element " + i + " has value " + (a[i] & 0xFF) + " (0 or 1 expected)");
              }
            }
          }
          pos += n;
          return new GgufArray(et, a);
        }
        case UINT16, INT16: {
          short[] a = new short[n];
          for (int i = 0; i < n; i++, pos += 2) a[i] = seg.get(I16, pos);
          return new GgufArray(et, a);
        }
        case UINT32, INT32: {
          int[] a = new int[n];
          for (int i = 0; i < n; i++, pos += 4) a[i] = seg.get(I32, pos);
          return new GgufArray(et, a);
        }
        case FLOAT32: {
          float[] a = new float[n];
          for (int i = 0; i < n; i++, pos += 4) a[i] = seg.get(F32, pos);
          return new GgufArray(et, a);
        }
        case UINT64, INT64: {
          long[] a = new long[n];
          for (int i = 0; i < n; i++, pos += 8) a[i] = seg.get(I64, pos);
          return new GgufArray(et, a);
        }
        case FLOAT64: {
          double[] a = new double[n];
          for (int i = 0; i < n; i++, pos += 8) a[i] = seg.get(F64, pos);
          return new GgufArray(et, a);
        }
        case STRING:
          return stringArray(key, n);
        case ARRAY: {
          GgufArray[] a = new GgufArray[n];
          for (int i = 0; i < n; i++) a[i] = array(key + "[" + i + "]", depth + 1);
          return new GgufArray(et, a);
        }
        default:
          throw new AssertionError(et);
      }
    }
  }
}
