package ai.edgeai.llm.gguf;

import ai.edgeai.llm.tensor.GgmlType;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's entry in the GGUF header.
 *
 * @param name tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dims dimensions, {@code dims[0]} fastest-varying (row length)
 * @param type element type
 * @param offset byte offset relative to the start of the tensor data section
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset) {

  public GgufTensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    dims = dims.clone();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  public int nDims() {
    return dims.length;
  }

  public long dim(int i) {
    return i < dims.length ? dims[i] : 1;
  }

  /** Product of the dimensions (checked for overflow when the file was read). */
  public long elementCount() {
    long n = 1;
    for (long d : dims) n = Math.multiplyExact(n, d);
    return n;
  }

  public long byteSize() {
    return type.byteSize(elementCount());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims)
        && type == t.type && offset == t.offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(dims), type, offset);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(dims) + " " + type + " @" + offset;
  }
}
