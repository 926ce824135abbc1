package ai.edgeai.llm.gguf;

import ai.edgeai.llm.tensor.GgmlType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes GGUF version 3 files: metadata of every value type (nested arrays included, each value
 * keeps its declared type) and tensors of any ggml type, each placed at a multiple of the
 * alignment ({@code general.alignment} when set, else 32).
 *
 * <p>Tensor data are streamed to disk when {@link #write} runs, from a memory segment (e.g. a slice
 * of a mapped input file) or from a {@link TensorData} callback that produces the bytes piece by
 * piece, so a model never has to fit on the heap. The file is written next to its destination and
 * moved into place at the end, so a failed write leaves no partial file and the destination may be
 * a file that is currently memory-mapped.
 *
 * <p>Metadata values use the same Java representation as {@link GgufMetadata}: Byte for
 * UINT8/INT8, Short for UINT16/INT16, Integer for UINT32/INT32, Long for UINT64/INT64, Float,
 * Double, Boolean, String and {@link GgufArray}; unsigned values are given as their bit patterns.
 */
public final class GgufWriter {

  /** Produces a tensor's bytes, in order, exactly {@code byteSize} of them. */
  @FunctionalInterface
  public interface TensorData {
    void writeTo(TensorOutput out) throws IOException;
  }

  /** Where a {@link TensorData} callback writes. */
  public interface TensorOutput {
    void write(MemorySegment bytes) throws IOException;

    default void write(byte[] bytes, int off, int len) throws IOException {
      write(MemorySegment.ofArray(bytes).asSlice(off, len));
    }
  }

  private record Value(GgufValueType type, Object value) {}

  private record PendingTensor(String name, GgmlType type, long[] dims, long byteSize, TensorData data) {}

  private final Map<String, Value> metadata = new LinkedHashMap<>();
  private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();

  /** Sets {@code key} to {@code value} of {@code type} (replacing an earlier value but keeping its position). */
  public GgufWriter put(String key, GgufValueType type, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes == 0 || keyBytes > 65535) throw new IllegalArgumentException("metadata key '" + key + "' must be 1..65535 bytes");
    // A string array read from a file lives in the file's mapping; the copy outlives the file.
    if (value instanceof GgufArray a) value = a.detached();
    checkValue(key, type, value, 0);
    metadata.put(key, new Value(type, value));
    return this;
  }

  public GgufWriter putString(String key, String value) {
    return put(key, GgufValueType.STRING, value);
  }

  public GgufWriter putBool(String key, boolean value) {
    return put(key, GgufValueType.BOOL, value);
  }

  public GgufWriter putUint32(String key, long value) {
    if (value < 0 || value > 0xFFFFFFFFL) throw new IllegalArgumentException("metadata key '" + key + "': " + value + " does not fit a uint32");
    return put(key, GgufValueType.UINT32, (int) value);
  }

  public GgufWriter putInt32(String key, int value) {
    return put(key, GgufValueType.INT32, value);
  }

  public GgufWriter putUint64(String key, long value) {
    return put(key, GgufValueType.UINT64, value);
  }

  public GgufWriter putFloat32(String key, float value) {
    return put(key, GgufValueType.FLOAT32, value);
  }

  public GgufWriter putArray(String key, GgufArray value) {
    return put(key, GgufValueType.ARRAY, value);
  }

  public GgufWriter remove(String key) {
    metadata.remove(key);
    return this;
  }

  /** Copies every key of {@code source}, in its order, with its stored type. */
  public GgufWriter putAll(GgufMetadata source) {
    for (String key : source.keys()) put(key, source.type(key), source.get(key));
    return this;
  }

  /** Adds a tensor whose bytes are {@code data} (exactly {@code type.byteSize(elements)} bytes). */
  public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
    Objects.requireNonNull(data, "data");
    PendingTensor t = pending(name, type, dims, out -> out.write(data));
    if (data.byteSize() != t.byteSize()) {
      throw new IllegalArgumentException("tensor '" + name + "' needs " + t.byteSize() + " bytes of " + type + ", got " + data.byteSize());
    }
    tensors.put(name, t);
    return this;
  }

  /** Adds a tensor whose bytes {@code data} produces when the file is written. */
  public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorData data) {
    Objects.requireNonNull(data, "data");
    tensors.put(name, pending(name, type, dims, data));
    return this;
  }

  private PendingTensor pending(String name, GgmlType type, long[] dims, TensorData data) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (nameBytes == 0 || nameBytes > GgufFile.MAX_TENSOR_NAME) {
      throw new IllegalArgumentException("tensor name '" + name + "' must be 1.." + GgufFile.MAX_TENSOR_NAME + " bytes");
    }
    if (tensors.containsKey(name)) throw new IllegalArgumentException("duplicate tensor '" + name + "'");
    if (dims.length < 1 || dims.length > GgufFile.MAX_DIMS) {
      throw new IllegalArgumentException("tensor '" + name + "' has " + dims.length + " dimensions (1.." + GgufFile.MAX_DIMS + " allowed)");
    }
    long elements = 1;
    for (long d : dims) {
      if (d < 1) throw new IllegalArgumentException("tensor '" + name + "' has dimension " + d);
      elements = Math.multiplyExact(elements, d);
    }
    if (dims[0] % type.blockSize() != 0) {
      throw new IllegalArgumentException("tensor '" + name + "' row length " + dims[0] + " is not a multiple of the " + type + " block size " + type.blockSize());
    }
    return new PendingTensor(name, type, dims.clone(), type.byteSize(elements), data);
  }

  /** The alignment the file will use. */
  public int alignment() {
    Value v = metadata.get("general.alignment");
    if (v == null) return GgufFile.DEFAULT_ALIGNMENT;
    if (!v.type().isInteger()) throw new IllegalStateException("general.alignment must be an integer, is " + v.type());
    long a = ((Number) v.value()).longValue();
    if (v.type() == GgufValueType.UINT32) a &= 0xFFFFFFFFL;
    if (a <= 0 || a > (1 << 30) || (a & (a - 1)) != 0) throw new IllegalStateException("general.alignment " + a + " is not a power of two");
    return (int) a;
  }

  /** Writes the file. The tensor callbacks run now, in the order the tensors were added. */
  public void write(Path path) throws IOException {
    int alignment = alignment();
    Header h = new Header();
    h.i32(GgufFile.MAGIC);
    h.i32(3);
    h.i64(tensors.size());
    h.i64(metadata.size());
    for (Map.Entry<String, Value> e : metadata.entrySet()) {
      h.string(e.getKey());
      h.i32(e.getValue().type().id());
      h.value(e.getValue().type(), e.getValue().value());
    }
    long offset = 0;
    List<PendingTensor> order = new ArrayList<>(tensors.values());
    for (PendingTensor t : order) {
      h.string(t.name());
      h.i32(t.dims().length);
      for (long d : t.dims()) h.i64(d);
      h.i32(t.type().id());
      h.i64(offset);
      offset = alignUp(offset + t.byteSize(), alignment);
    }
    byte[] header = h.toByteArray();

    Path abs = path.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString() + ".", ".part");
    boolean done = false;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      Sink sink = new Sink(ch);
      sink.write(MemorySegment.ofArray(header));
      sink.pad(alignUp(header.length, alignment) - header.length);
      for (PendingTensor t : order) {
        long before = sink.count;
        t.data().writeTo(sink);
        long written = sink.count - before;
        if (written != t.byteSize()) {
          throw new IllegalStateException("tensor '" + t.name() + "' produced " + written + " bytes, expected " + t.byteSize());
        }
        sink.pad(alignUp(t.byteSize(), alignment) - t.byteSize());
      }
      sink.flush();
      done = true;
    } finally {
      if (!done) Files.deleteIfExists(tmp);
    }
    try {
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private static long alignUp(long x, int alignment) {
    return (x + alignment - 1) / alignment * alignment;
  }

  // ---- value checks ---------------------------------------------------------------------------

  private static void checkValue(String key, GgufValueType type, Object value, int depth) {
    Objects.requireNonNull(value, () -> "metadata key '" + key + "' has a null value");
    Class<?> expected = switch (type) {
      case UINT8, INT8 -> Byte.class;
      case UINT16, INT16 -> Short.class;
      case UINT32, INT32 -> Integer.class;
      case UINT64, INT64 -> Long.class;
      case FLOAT32 -> Float.class;
      case FLOAT64 -> Double.class;
      case BOOL -> Boolean.class;
      case STRING -> String.class;
      case ARRAY -> GgufArray.class;
    };
    if (!expected.isInstance(value)) {
      throw new IllegalArgumentException("metadata key '" + key + "' of type " + type + " needs a " + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
    }
    if (value instanceof GgufArray a) checkArray(key, a, depth);
  }

  private static void checkArray(String key, GgufArray a, int depth) {
    if (depth >= 8) throw new IllegalArgumentException("metadata key '" + key + "' nests arrays deeper than 8 (readers reject it)");
    Class<?> expected = switch (a.elementType()) {
      case UINT8, INT8, BOOL -> byte[].class;
      case UINT16, INT16 -> short[].class;
      case UINT32, INT32 -> int[].class;
      case UINT64, INT64 -> long[].class;
      case FLOAT32 -> float[].class;
      case FLOAT64 -> double[].class;
      case STRING -> String[].class;
      case ARRAY -> GgufArray[].class;
    };
    if (!expected.isInstance(a.values())) {
      throw new IllegalArgumentException("metadata key '" + key + "' array of " + a.elementType() + " needs a " + expected.getSimpleName() + ", got " + a.values().getClass().getSimpleName());
    }
    if (a.elementType() == GgufValueType.BOOL) {
      for (byte b : (byte[]) a.values()) if (b != 0 && b != 1) throw new IllegalArgumentException("metadata key '" + key + "' bool array holds " + b);
    } else if (a.values() instanceof String[] s) {
      for (String x : s) Objects.requireNonNull(x, () -> "metadata key '" + key + "' string array holds null");
    } else if (a.values() instanceof GgufArray[] nested) {
      for (GgufArray n : nested) {
        Objects.requireNonNull(n, () -> "metadata key '" + key + "' nested array is null");
        checkArray(key, n, depth + 1);
      }
    }
  }

  // ---- encoding -------------------------------------------------------------------------------

  /** Little-endian header encoder. */
  private static final class Header {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void u8(int v) {
      out.write(v);
    }

    void i16(short v) {
      out.write(scratch.clear().putShort(v).array(), 0, 2);
    }

    void i32(int v) {
      out.write(scratch.clear().putInt(v).array(), 0, 4);
    }

    void i64(long v) {
      out.write(scratch.clear().putLong(v).array(), 0, 8);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      i64(b.length);
      out.write(b, 0, b.length);
    }

    void value(GgufValueType type, Object v) {
      switch (type) {
        case UINT8, INT8 -> u8((Byte) v);
        case BOOL -> u8((Boolean) v ? 1 : 0);
        case UINT16, INT16 -> i16((Short) v);
        case UINT32, INT32 -> i32((Integer) v);
        case UINT64, INT64 -> i64((Long) v);
        case FLOAT32 -> i32(Float.floatToRawIntBits((Float) v));
        case FLOAT64 -> i64(Double.doubleToRawLongBits((Double) v));
        case STRING -> string((String) v);
        case ARRAY -> array((GgufArray) v);
      }
    }

    void array(GgufArray a) {
      i32(a.elementType().id());
      i64(a.length());
      switch (a.values()) {
        case byte[] x -> out.write(x, 0, x.length);
        case short[] x -> { for (short e : x) i16(e); }
        case int[] x -> { for (int e : x) i32(e); }
        case long[] x -> { for (long e : x) i64(e); }
        case float[] x -> { for (float e : x) i32(Float.floatToRawIntBits(e)); }
        case double[] x -> { for (double e : x) i64(Double.doubleToRawLongBits(e)); }
        case String[] x -> { for (String e : x) string(e); }
        case GgufArray[] x -> { for (GgufArray e : x) array(e); }
        default -> throw new AssertionError(a.values().getClass());
      }
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Buffered, counting channel writer. */
  private static final class Sink implements TensorOutput {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    private final MemorySegment bufSeg = MemorySegment.ofBuffer(buf);
    private int used;
    long count;

    Sink(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public void write(MemorySegment bytes) throws IOException {
      long n = bytes.byteSize();
      long pos = 0;
      while (pos < n) {
        int chunk = (int) Math.min(n - pos, bufSeg.byteSize() - used);
        MemorySegment.copy(bytes, pos, bufSeg, used, chunk);
        used += chunk;
        pos += chunk;
        if (used == bufSeg.byteSize()) flush();
      }
      count += n;
    }

    void pad(long n) throws IOException {
      if (n > 0) write(MemorySegment.ofArray(new byte[(int) n]));
    }

    void flush() throws IOException {
      buf.clear().limit(used);
      while (buf.hasRemaining()) ch.write(buf);
      used = 0;
    }
  }

  @Override
  public String toString() {
    return "GgufWriter[" + metadata.size() + " keys, " + tensors.size() + " tensors " + Arrays.toString(tensors.keySet().toArray()) + "]";
  }
}
