package ai.edgeai.llm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A read-only weight matrix of {@code rows × cols} elements of one ggml type, row-major, backed by
 * a memory segment (normally a slice of a memory-mapped model file, never copied to the heap).
 * {@code cols} is GGUF's {@code dims[0]}, the fastest-varying dimension; a 1-D tensor has one row.
 *
 * <p>The methods here are the scalar reference: plain float32 arithmetic with sequential sums, the
 * way llama2.c's run.c computes. SIMD kernels in {@code ai.edgeai.llm.kernel} are tested against it.
 */
public final class Tensor {

  static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final String name;
  private final GgmlType type;
  private final long rows;
  private final int cols;
  private final MemorySegment data;
  private final long rowBytes;

  public Tensor(String name, GgmlType type, long rows, int cols, MemorySegment data) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    if (rows < 1 || cols < 1) throw new IllegalArgumentException("tensor '" + name + "' has empty shape " + rows + "x" + cols);
    if (cols % type.blockSize() != 0) {
      throw new IllegalArgumentException("tensor '" + name + "' row length " + cols + " is not a multiple of the " + type + " block size");
    }
    this.rows = rows;
    this.cols = cols;
    this.rowBytes = type.byteSize(cols);
    long need = Math.multiplyExact(rowBytes, rows);
    if (data.byteSize() < need) {
      throw new IllegalArgumentException("tensor '" + name + "' needs " + need + " bytes, segment has " + data.byteSize());
    }
    this.data = data;
    if (!Dequantize.supports(type)) throw new UnsupportedTensorTypeException(name, type);
  }

  public String name() {
    return name;
  }

  public GgmlType type() {
    return type;
  }

  public long rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public long elementCount() {
    return rows * cols;
  }

  public MemorySegment data() {
    return data;
  }

  /** Bytes per row. */
  public long rowBytes() {
    return rowBytes;
  }

  /** Byte offset of row {@code row} within {@link #data()}. */
  public long rowOffset(long row) {
    return row * rowBytes;
  }

  /** Dequantizes row {@code row} into {@code out[off .. off+cols)}. */
  public void dequantizeRow(long row, float[] out, int off) {
    Dequantize.row(type, data, rowOffset(row), out, off, cols);
  }

  /** Element {@code i} of a 1-D view (row-major), dequantized. Slow: for tests and small vectors. */
  public float get(long i) {
    float[] tmp = new float[cols];
    dequantizeRow(i / cols, tmp, 0);
    return tmp[(int) (i % cols)];
  }

  /** Copies the whole tensor, dequantized, to a new array (for small tensors: norms, biases). */
  public float[] toFloatArray() {
    long n = elementCount();
    if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor '" + name + "' too large to copy");
    float[] out = new float[(int) n];
    for (long r = 0; r < rows; r++) dequantizeRow(r, out, (int) (r * cols));
    return out;
  }

  /**
   * Scalar reference dot product of row {@code row} with {@code x[xOff .. xOff+cols)}: elements are
   * dequantized to float and accumulated sequentially in float, as run.c's matmul does.
   */
  public float dot(long row, float[] x, int xOff) {
    long base = rowOffset(row);
    if (type == GgmlType.F32) {
      float s = 0f;
      for (int j = 0; j < cols; j++) s += data.get(F32, base + 4L * j) * x[xOff + j];
      return s;
    }
    // Blockwise: dequantize one block into a small buffer, accumulate in element order.
    int bs = Math.max(type.blockSize(), 32);
    float[] buf = BLOCK.get();
    float s = 0f;
    for (int j = 0; j < cols; j += bs) {
      int n = Math.min(bs, cols - j);
      Dequantize.row(type, data, base + type.byteSize(j), buf, 0, n);
      for (int k = 0; k < n; k++) s += buf[k] * x[xOff + j + k];
    }
    return s;
  }

  private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[256]);

  /** Scalar reference matrix × vector: {@code out[i] = dot(i, x)} for every row. */
  public void matvec(float[] x, float[] out) {
    for (int i = 0; i < rows; i++) out[i] = dot(i, x, 0);
  }

  @Override
  public String toString() {
    return name + "[" + rows + "x" + cols + " " + type + "]";
  }
}
