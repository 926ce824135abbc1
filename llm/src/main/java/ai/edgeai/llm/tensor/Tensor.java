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
  private final MemorySegment interleaved;

  public Tensor(String name, GgmlType type, long rows, int cols, MemorySegment data) {
    this(name, type, rows, cols, data, null);
  }

  private Tensor(String name, GgmlType type, long rows, int cols, MemorySegment data, MemorySegment interleaved) {
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
    if (interleaved != null && interleaved.byteSize() != need) {
      throw new IllegalArgumentException("tensor '" + name + "' needs a " + need + "-byte repacked copy, got " + interleaved.byteSize());
    }
    this.interleaved = interleaved;
  }

  /**
   * This tensor with a copy of its weights in the kernels' row-interleaved layout
   * ({@code ai.edgeai.llm.kernel.Q4Interleaved}, as many bytes as {@link #data()}), which the
   * matrix kernels then read instead of {@link #data()}, and {@link #dequantizeRow} too. The other
   * scalar methods here keep reading {@link #data()}.
   */
  public Tensor withInterleaved(MemorySegment copy) {
    if (type != GgmlType.Q4_0 && type != GgmlType.Q8_0) throw new IllegalArgumentException("tensor '" + name + "' is " + type + "; only Q4_0 and Q8_0 have an interleaved layout");
    return new Tensor(name, type, rows, cols, data, java.util.Objects.requireNonNull(copy, "copy"));
  }

  /** The row-interleaved copy of {@link #withInterleaved}, or null. */
  public MemorySegment interleaved() {
    return interleaved;
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

  /**
   * Dequantizes row {@code row} into {@code out[off .. off+cols)}. Reads the interleaved copy when
   * there is one (the same values), so that embedding lookups in a tied output matrix do not bring
   * the mapped original back into memory.
   */
  public void dequantizeRow(long row, float[] out, int off) {
    if (interleaved != null && type == GgmlType.Q4_0) Dequantize.q4InterleavedRow(interleaved, row, cols, out, off);
    else if (interleaved != null) Dequantize.q8InterleavedRow(interleaved, row, cols, out, off);
    else Dequantize.row(type, data, rowOffset(row), out, off, cols);
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

  /** True when {@link #dotQ8} supports this tensor's type. */
  public boolean supportsQ8Activations() {
    return type == GgmlType.Q8_0 || type == GgmlType.Q4_0;
  }

  /**
   * Dot product of row {@code row} with a Q8_0-quantized activation, as ggml's x86 (AVX2/VNNI)
   * {@code ggml_vec_dot_q8_0_q8_0} / {@code ggml_vec_dot_q4_0_q8_0} compute it: per block, eight
   * integer partial sums of four consecutive products, each scaled by d_w·d_x and fused-multiply-
   * added into one of eight float lanes; the lanes are summed as {@code hsum_float_8} does. The
   * order matters: it decides where an activation lands when ggml rounds it to 8 bits.
   */
  public float dotQ8(long row, Q8Activations x) {
    long base = rowOffset(row);
    int blocks = cols / 32;
    float sum = 0f;
    byte[] xq = x.qs;
    float[] acc = ACC.get();
    java.util.Arrays.fill(acc, 0f);
    switch (type) {
      case Q8_0 -> {
        // block_q8_0: half d (2 B) | int8 qs[32]
        for (int b = 0; b < blocks; b++) {
          long p = base + 34L * b;
          float dw = Dequantize.f16(data.get(I16, p));
          int o = b * 32;
          float db = dw * x.d[b];
          for (int k = 0; k < 8; k++) {
            int part = 0;
            for (int j = 4 * k; j < 4 * k + 4; j++) part += data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + 2 + j) * xq[o + j];
            acc[k] = Math.fma(db, (float) part, acc[k]);
          }
        }
      }
      case Q4_0 -> {
        // block_q4_0: half d (2 B) | u8 qs[16]; low nibble = element j, high nibble = element j+16; value = q - 8
        for (int b = 0; b < blocks; b++) {
          long p = base + 18L * b;
          float dw = Dequantize.f16(data.get(I16, p));
          int o = b * 32;
          float db = dw * x.d[b];
          for (int k = 0; k < 8; k++) {
            int part = 0;
            for (int j = 4 * k; j < 4 * k + 4; j++) {
              int q = data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + 2 + (j & 15)) & 0xFF;
              int w = (j < 16 ? (q & 0x0F) : (q >>> 4)) - 8;
              part += w * xq[o + j];
            }
            acc[k] = Math.fma(db, (float) part, acc[k]);
          }
        }
      }
      default -> throw new UnsupportedOperationException("tensor '" + name + "' of type " + type + " has no Q8 activation dot product");
    }
    // hsum_float_8: fold the upper 4 lanes onto the lower 4, then pairs, then the last two.
    float r0 = acc[0] + acc[4], r1 = acc[1] + acc[5], r2 = acc[2] + acc[6], r3 = acc[3] + acc[7];
    sum = (r0 + r2) + (r1 + r3);
    return sum;
  }

  private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[8]);
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
