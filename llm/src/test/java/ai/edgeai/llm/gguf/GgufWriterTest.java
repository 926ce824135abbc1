package ai.edgeai.llm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {

  @TempDir Path tmp;

  /** One value of every type, extreme integers of every width, and arrays of every element type. */
  static Map<String, Object[]> everyType() {
    Map<String, Object[]> m = new LinkedHashMap<>();
    m.put("t.u8", new Object[] {GgufValueType.UINT8, (byte) 0xFF});
    m.put("t.i8", new Object[] {GgufValueType.INT8, Byte.MIN_VALUE});
    m.put("t.u16", new Object[] {GgufValueType.UINT16, (short) 0xFFFF});
    m.put("t.i16", new Object[] {GgufValueType.INT16, Short.MIN_VALUE});
    m.put("t.u32", new Object[] {GgufValueType.UINT32, 0xFFFFFFFF});
    m.put("t.i32", new Object[] {GgufValueType.INT32, Integer.MIN_VALUE});
    m.put("t.u64", new Object[] {GgufValueType.UINT64, -1L});
    m.put("t.i64", new Object[] {GgufValueType.INT64, Long.MIN_VALUE});
    m.put("t.f32", new Object[] {GgufValueType.FLOAT32, 1e-5f});
    m.put("t.f64", new Object[] {GgufValueType.FLOAT64, Math.PI});
    m.put("t.bool_true", new Object[] {GgufValueType.BOOL, true});
    m.put("t.bool_false", new Object[] {GgufValueType.BOOL, false});
    m.put("t.string", new Object[] {GgufValueType.STRING, "héllo ▁world 🦙\n\0end"});
    m.put("t.empty_string", new Object[] {GgufValueType.STRING, ""});
    m.put("a.u8", arr(GgufValueType.UINT8, new byte[] {0, 1, (byte) 255}));
    m.put("a.i8", arr(GgufValueType.INT8, new byte[] {-128, 127}));
    m.put("a.u16", arr(GgufValueType.UINT16, new short[] {(short) 65535, 1}));
    m.put("a.i16", arr(GgufValueType.INT16, new short[] {-32768, 32767}));
    m.put("a.u32", arr(GgufValueType.UINT32, new int[] {-1, 0}));
    m.put("a.i32", arr(GgufValueType.INT32, new int[] {Integer.MIN_VALUE, 3}));
    m.put("a.u64", arr(GgufValueType.UINT64, new long[] {-1L}));
    m.put("a.i64", arr(GgufValueType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
    m.put("a.f32", arr(GgufValueType.FLOAT32, new float[] {Float.NaN, -0f, Float.MIN_VALUE}));
    m.put("a.f64", arr(GgufValueType.FLOAT64, new double[] {Double.MAX_VALUE, -1.5}));
    m.put("a.bool", arr(GgufValueType.BOOL, new byte[] {1, 0, 1}));
    m.put("a.string", arr(GgufValueType.STRING, new String[] {"a b", "", "ü"}));
    m.put("a.empty", arr(GgufValueType.INT32, new int[0]));
    GgufArray inner1 = new GgufArray(GgufValueType.UINT16, new short[] {1, 2});
    GgufArray inner2 = new GgufArray(GgufValueType.STRING, new String[] {"x"});
    GgufArray mid = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {inner1, inner2, new GgufArray(GgufValueType.FLOAT64, new double[0])});
    m.put("a.nested", new Object[] {GgufValueType.ARRAY, new GgufArray(GgufValueType.ARRAY, new GgufArray[] {mid, mid})});
    GgufArray deep = new GgufArray(GgufValueType.INT8, new byte[] {7});
    for (int i = 0; i < 7; i++) deep = new GgufArray(GgufValueType.ARRAY, new GgufArray[] {deep});
    m.put("a.deepest_allowed", new Object[] {GgufValueType.ARRAY, deep});
    return m;
  }

  private static Object[] arr(GgufValueType t, Object values) {
    return new Object[] {GgufValueType.ARRAY, new GgufArray(t, values)};
  }

  @Test
  void metadataOfEveryTypeRoundTrips() throws IOException {
    GgufWriter w = new GgufWriter();
    Map<String, Object[]> values = everyType();
    values.forEach((k, v) -> w.put(k, (GgufValueType) v[0], v[1]));
    Path file = tmp.resolve("meta.gguf");
    w.write(file);
    try (GgufFile f = GgufFile.open(file)) {
      assertEquals(3, f.version());
      assertEquals(0, f.tensors().size());
      assertEquals(List.copyOf(values.keySet()), List.copyOf(f.metadata().keys()));
      for (var e : values.entrySet()) {
        assertEquals(e.getValue()[0], f.metadata().type(e.getKey()), e.getKey());
        assertDeepEquals(e.getKey(), e.getValue()[1], f.metadata().get(e.getKey()));
      }
      GgufMetadata md = f.metadata();
      assertEquals(255, md.getLong("t.u8"));
      assertEquals(0xFFFFFFFFL, md.getLong("t.u32"));
      assertEquals(-1, md.getTokenId("t.u32"));
      assertEquals(Math.PI, md.getDouble("t.f64"));
      assertTrue(md.getBool("t.bool_true"));
    }
    // Writing what was read gives the same bytes.
    Path again = tmp.resolve("again.gguf");
    try (GgufFile f = GgufFile.open(file)) {
      new GgufWriter().putAll(f.metadata()).write(again);
    }
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
  }

  private static void assertDeepEquals(String key, Object expected, Object actual) {
    if (expected instanceof GgufArray ea) {
      GgufArray aa = (GgufArray) actual;
      assertEquals(ea.elementType(), aa.elementType(), key);
      assertEquals(ea.length(), aa.length(), key);
      switch (ea.values()) {
        case byte[] x -> assertArrayEquals(x, (byte[]) aa.values(), key);
        case short[] x -> assertArrayEquals(x, (short[]) aa.values(), key);
        case int[] x -> assertArrayEquals(x, (int[]) aa.values(), key);
        case long[] x -> assertArrayEquals(x, (long[]) aa.values(), key);
        case float[] x -> {
          float[] y = (float[]) aa.values();
          for (int i = 0; i < x.length; i++) assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), key);
        }
        case double[] x -> assertArrayEquals(x, (double[]) aa.values(), key);
        case String[] x -> assertArrayEquals(x, (String[]) aa.values(), key);
        case GgufArray[] x -> {
          for (int i = 0; i < x.length; i++) assertDeepEquals(key + "[" + i + "]", x[i], ((GgufArray[]) aa.values())[i]);
        }
        default -> throw new AssertionError();
      }
    } else {
      assertEquals(expected, actual, key);
    }
  }

  @Test
  void tensorsOfEveryTypeRoundTripAligned() throws IOException {
    for (int alignment : new int[] {32, 8, 64, 4096}) {
      Random rnd = new Random(alignment);
      GgufWriter w = new GgufWriter();
      if (alignment != 32) w.putUint32("general.alignment", alignment);
      w.putString("general.architecture", "test");
      Map<String, byte[]> expected = new LinkedHashMap<>();
      List<long[]> shapes = new ArrayList<>();
      int i = 0;
      for (GgmlType type : GgmlType.values()) {
        long cols = type.blockSize() * (1 + rnd.nextInt(3));
        long[] dims = switch (i % 4) {
          case 0 -> new long[] {cols};
          case 1 -> new long[] {cols, 3};
          case 2 -> new long[] {cols, 2, 2};
          default -> new long[] {cols, 1, 2, 3};
        };
        long elements = Stream.of(dims).flatMapToLong(java.util.Arrays::stream).reduce(1, (a, b) -> a * b);
        byte[] data = new byte[(int) type.byteSize(elements)];
        rnd.nextBytes(data);
        String name = "t" + i + "." + type.name().toLowerCase();
        expected.put(name, data);
        shapes.add(dims);
        if (i % 2 == 0) {
          w.addTensor(name, type, dims, MemorySegment.ofArray(data));
        } else {
          // streamed in uneven pieces through the callback
          w.addTensor(name, type, dims, out -> {
            int pos = 0;
            while (pos < data.length) {
              int n = Math.min(data.length - pos, 1 + rnd.nextInt(7));
              out.write(data, pos, n);
              pos += n;
            }
          });
        }
        i++;
      }
      Path file = tmp.resolve("tensors-" + alignment + ".gguf");
      w.write(file);
      try (GgufFile f = GgufFile.open(file)) {
        assertEquals(alignment, f.alignment());
        assertEquals(0, f.dataOffset() % alignment);
        assertEquals(expected.size(), f.tensors().size());
        int j = 0;
        for (GgufTensorInfo t : f.tensors()) {
          assertTrue(expected.containsKey(t.name()));
          assertArrayEquals(shapes.get(j), t.dims(), t.name());
          assertEquals(GgmlType.values()[j], t.type(), t.name());
          assertEquals(0, t.offset() % alignment, t.name());
          assertArrayEquals(expected.get(t.name()), f.tensorData(t).toArray(ValueLayout.JAVA_BYTE), t.name());
          j++;
        }
      }
    }
  }

  @Test
  void streamsLargeTensorsWithoutHoldingThem() throws IOException {
    // 64 MiB of F32 produced row by row from a 16 KiB buffer.
    int cols = 4096, rows = 4096;
    GgufWriter w = new GgufWriter();
    w.addTensor("big", GgmlType.F32, new long[] {cols, rows}, out -> {
      MemorySegment row = MemorySegment.ofArray(new float[cols]);
      for (int r = 0; r < rows; r++) {
        row.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, r);
        out.write(row);
      }
    });
    Path file = tmp.resolve("big.gguf");
    w.write(file);
    try (GgufFile f = GgufFile.open(file)) {
      var t = f.openTensor("big");
      assertEquals(rows, t.rows());
      assertEquals(4095f, t.get(4095L * cols));
      assertEquals(0f, t.get(4095L * cols + 1));
    }
  }

  @Test
  void rejectsBadInputAndLeavesNoFile() throws IOException {
    GgufWriter w = new GgufWriter();
    assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.UINT32, 5L));
    assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, new long[1])));
    assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.ARRAY, new GgufArray(GgufValueType.BOOL, new byte[] {2})));
    assertThrows(IllegalArgumentException.class, () -> w.put("", GgufValueType.STRING, "x"));
    assertThrows(IllegalArgumentException.class, () -> w.addTensor("x".repeat(65), GgmlType.F32, new long[] {1}, MemorySegment.ofArray(new byte[4])));
    assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.Q8_0, new long[] {33}, MemorySegment.ofArray(new byte[34])));
    assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.Q8_0, new long[] {32}, MemorySegment.ofArray(new byte[33])));
    assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, MemorySegment.ofArray(new byte[4])));
    w.addTensor("short", GgmlType.F32, new long[] {4}, out -> out.write(new byte[8], 0, 8));
    Path file = tmp.resolve("short.gguf");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(file));
    assertTrue(e.getMessage().contains("'short'"), e.getMessage());
    assertFalse(Files.exists(file));
    try (var s = Files.list(tmp)) {
      assertEquals(0, s.count(), "temporary file left behind");
    }
  }
}
