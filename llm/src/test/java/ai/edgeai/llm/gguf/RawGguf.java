package ai.edgeai.llm.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds GGUF bytes field by field, with no validation, so tests can make broken files. */
final class RawGguf {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** magic, version, tensor count, kv count. */
  static RawGguf header(int version, long tensors, long kvs) {
    return new RawGguf().u32(GgufFile.MAGIC).u32(version).u64(tensors).u64(kvs);
  }

  RawGguf u8(int v) {
    out.write(v);
    return this;
  }

  RawGguf u32(int v) {
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    return this;
  }

  RawGguf u64(long v) {
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    return this;
  }

  RawGguf str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return u64(b.length).bytes(b);
  }

  RawGguf bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** A key with a u32 value. */
  RawGguf kvU32(String key, int v) {
    return str(key).u32(GgufValueType.UINT32.id()).u32(v);
  }

  /** A tensor info. */
  RawGguf tensor(String name, long[] dims, int type, long offset) {
    str(name).u32(dims.length);
    for (long d : dims) u64(d);
    return u32(type).u64(offset);
  }

  /** Zero bytes up to a multiple of {@code alignment}, then {@code n} data bytes. */
  RawGguf data(int alignment, int n) {
    while (out.size() % alignment != 0) out.write(0);
    out.writeBytes(new byte[n]);
    return this;
  }

  byte[] build() {
    return out.toByteArray();
  }
}
