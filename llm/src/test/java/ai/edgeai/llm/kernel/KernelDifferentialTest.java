package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Q8Activations;
import ai.edgeai.llm.tensor.Quantize;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every SIMD kernel against the scalar reference at every width (128/256/512 bits), on odd row
 * counts, activation-row counts that exercise the 4-row tiles and their tails, several seeds and
 * row lengths; the weight segments end exactly at the last block, so over-long loads would fail.
 */
class KernelDifferentialTest {

  static final int[] WIDTHS = {128, 256, 512};

  /**
   * The widths this CPU runs in hardware. Wider species still compute correctly (the differential
   * tests use them all), but through the Vector API's Java fallback, which boxes every vector: an
   * allocation test there measures the fallback, not our kernels (and takes minutes on AVX2).
   */
  static final int[] NATIVE_WIDTHS = java.util.Arrays.stream(WIDTHS).filter(KernelDifferentialTest::isNative).toArray();

  static boolean isNative(int bits) {
    return bits <= VectorDot.preferredBits();
  }

  /** A rows x cols tensor of {@code type} with random contents in an exactly sized off-heap segment. */
  static Tensor randomTensor(GgmlType type, int rows, int cols, SplittableRandom rnd, Arena arena) {
    long rowBytes = type.byteSize(cols);
    MemorySegment seg = arena.allocate(rowBytes * rows, 1);
    if (Quantize.supports(type)) {
      float[] x = new float[cols];
      for (int r = 0; r < rows; r++) {
        for (int i = 0; i < cols; i++) x[i] = (float) rnd.nextGaussian() * (1 + r % 3);
        if (r == 1) java.util.Arrays.fill(x, 0f); // an all-zero row: scales of 0
        Quantize.row(type, x, 0, seg, r * rowBytes, cols);
      }
    } else {
      // K-quants: random bits, with the F16 super-block scales set to small finite values.
      for (long i = 0; i < seg.byteSize(); i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
      ValueLayout.OfShort h = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
      int bs = type.typeSize();
      for (long b = 0; b < seg.byteSize() / bs; b++) {
        long p = b * bs;
        short d = Float.floatToFloat16((float) rnd.nextDouble(0.001, 0.05));
        short m = Float.floatToFloat16((float) rnd.nextDouble(0.001, 0.05));
        switch (type) {
          case Q4_K, Q5_K -> {
            seg.set(h, p, d);
            seg.set(h, p + 2, m);
          }
          case Q6_K -> seg.set(h, p + 208, d);
          default -> throw new IllegalArgumentException(type.toString());
        }
      }
    }
    return new Tensor("w", type, rows, cols, seg);
  }

  static float[] randomActivations(int n, SplittableRandom rnd) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
    return x;
  }

  /**
   * Extremes the quantizer never writes but a file may hold (Q8_0 weights of -128, every nibble)
   * against activations saturated at +-127, so the decode kernels' packed 16-bit integer products
   * meet their largest magnitudes.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void q8KernelsStayExactAtExtremeQuants(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    ValueLayout.OfShort h = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
      int rows = 6, cols = 256;
      try (Arena arena = Arena.ofConfined()) {
        long rowBytes = type.byteSize(cols);
        MemorySegment seg = arena.allocate(rowBytes * rows, 1);
        int bs = type.typeSize();
        for (long b = 0; b < seg.byteSize() / bs; b++) {
          long p = b * bs;
          int row = (int) (p / rowBytes);
          for (int i = 2; i < bs; i++) {
            // row 0: all -128 (Q8_0) / all nibbles 0 = -8 (Q4_0); row 1: all 127 / 15; others random.
            byte v = row == 0 ? (byte) (type == GgmlType.Q8_0 ? 0x80 : 0x00)
                : row == 1 ? (byte) (type == GgmlType.Q8_0 ? 0x7F : 0xFF) : (byte) rnd.nextInt();
            seg.set(ValueLayout.JAVA_BYTE, p + i, v);
          }
          seg.set(h, p, Float.floatToFloat16((float) rnd.nextDouble(0.001, 0.05)));
        }
        Tensor w = new Tensor("w", type, rows, cols, seg);
        int tokens = 9;
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
          int t = i / cols;
          x[i] = t == 0 ? 1f : t == 1 ? -1f : t == 2 ? (i % 2 == 0 ? 1f : -1f) : (float) rnd.nextGaussian() * (t == 5 ? 0f : 1f);
        }
        Q8Batch batch = new Q8Batch(tokens, cols);
        Q8Activations ref = new Q8Activations(cols);
        float[] expected = new float[tokens * rows];
        for (int t = 0; t < tokens; t++) {
          batch.quantize(t, x, t * cols, cols);
          ref.quantize(java.util.Arrays.copyOfRange(x, t * cols, (t + 1) * cols), cols);
          for (int r = 0; r < rows; r++) expected[t * rows + r] = w.dotQ8(r, ref);
        }
        for (int bits : new int[] {128, 256}) {
          float[] out = new float[tokens * rows];
          // One token at a time (decode rows), then all at once (two prefill tiles of 4 and a tail).
          for (int t = 0; t < tokens; t++) Kernels.matmulQ8(bits, type == GgmlType.Q4_0, seg, rowBytes, cols, 0, rows, batch, t, t + 1, out, rows);
          float[] tiled = new float[tokens * rows];
          Kernels.matmulQ8(bits, type == GgmlType.Q4_0, seg, rowBytes, cols, 0, rows, batch, 0, tokens, tiled, rows);
          for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]),
                type + " extremes at " + bits + " bits, output " + i + ": " + expected[i] + " vs " + out[i]);
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(tiled[i]),
                type + " extremes, tiled, at " + bits + " bits, output " + i + ": " + expected[i] + " vs " + tiled[i]);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void q8KernelsAreBitIdenticalToTensorDotQ8AtEveryWidth(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
      for (int[] shape : new int[][] {{1, 32}, {3, 64}, {17, 96}, {5, 2048}, {33, 288}}) {
        int rows = shape[0], cols = shape[1];
        try (Arena arena = Arena.ofConfined()) {
          Tensor w = randomTensor(type, rows, cols, rnd, arena);
          int tokens = 1 + rnd.nextInt(9); // 1..9: whole tiles of 4 and tails
          float[] x = randomActivations(tokens * cols, rnd);
          Q8Batch batch = new Q8Batch(tokens, cols + 32);
          float[] expected = new float[tokens * rows];
          Q8Activations ref = new Q8Activations(cols);
          for (int t = 0; t < tokens; t++) {
            batch.quantize(t, x, t * cols, cols);
            float[] row = java.util.Arrays.copyOfRange(x, t * cols, (t + 1) * cols);
            ref.quantize(row, cols);
            for (int i = 0; i < cols; i++) assertEquals(ref.q(i), batch.q(t, i), "quantized activation " + i);
            for (int r = 0; r < rows; r++) expected[t * rows + r] = w.dotQ8(r, ref);
          }
          for (int bits : new int[] {0, 128, 256}) {
            float[] out = new float[tokens * rows];
            // Split the rows in two ranges, as the worker pool does.
            int mid = rows / 2;
            Kernels.matmulQ8(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, 0, mid, batch, 0, tokens, out, rows);
            Kernels.matmulQ8(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, mid, rows, batch, 0, tokens, out, rows);
            // And one token at a time, as decode runs.
            float[] decoded = new float[tokens * rows];
            for (int t = 0; t < tokens; t++) {
              Kernels.matmulQ8(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, 0, mid, batch, t, t + 1, decoded, rows);
              Kernels.matmulQ8(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, mid, rows, batch, t, t + 1, decoded, rows);
            }
            for (int i = 0; i < decoded.length; i++) {
              assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(decoded[i]),
                  type + " " + rows + "x" + cols + " decode at " + bits + " bits, output " + i + ": " + expected[i] + " vs " + decoded[i]);
            }
            for (int i = 0; i < out.length; i++) {
              assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]),
                  type + " " + rows + "x" + cols + " at " + bits + " bits, output " + i + ": " + expected[i] + " vs " + out[i]);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
  void floatKernelsMatchTheScalarReferenceAtEveryWidth(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    SplittableRandom rnd = new SplittableRandom(typeName.hashCode());
    int bs = Math.max(type.blockSize(), 1);
    int[] colsList = bs == 1 ? new int[] {1, 7, 33, 100, 2051} : new int[] {bs, 3 * bs, 9 * bs};
    for (int cols : colsList) {
      int rows = 7;
      int tokens = 3;
      try (Arena arena = Arena.ofConfined()) {
        Tensor w = randomTensor(type, rows, cols, rnd, arena);
        float[] x = randomActivations(tokens * cols, rnd);
        float[] wrow = new float[cols];
        for (int bits : WIDTHS) {
          float[] out = new float[tokens * rows];
          float[] scratch = new float[cols];
          Kernels.matmulF(bits, type, w.data(), w.rowBytes(), cols, 0, rows, x, cols, tokens, out, rows, scratch);
          for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
              w.dequantizeRow(r, wrow, 0);
              double[] e = exactDot(wrow, x, t * cols, cols);
              double exact = e[0], magnitude = e[1];
              float got = out[t * rows + r];
              assertTrue(Math.abs(got - exact) <= 1e-5 * magnitude + 1e-30,
                  type + " cols " + cols + " at " + bits + " bits, token " + t + " row " + r + ": " + got + " vs " + exact);
              // The scalar reference agrees within the same bound.
              float ref = w.dot(r, x, t * cols);
              assertTrue(Math.abs(ref - got) <= 1e-5 * magnitude + 1e-30, "vs Tensor.dot: " + ref + " vs " + got);
            }
          }
        }
      }
    }
  }

  /** {@code w · x[xOff ..]} summed in double (the reference the float kernels are held to) and the sum of the products' magnitudes. */
  private static double[] exactDot(float[] w, float[] x, int xOff, int n) {
    double exact = 0, magnitude = 0;
    for (int i = 0; i < n; i++) {
      double p = (double) w[i] * x[xOff + i];
      exact += p;
      magnitude += Math.abs(p);
    }
    return new double[] {exact, magnitude};
  }

  /** The token-lane prefill kernel gives the decode kernels' bits at every width, for partial lane groups and odd row counts. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void q8LaneKernelsAreBitIdenticalToTheDecodeKernels(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed + 40);
    for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
      for (int[] shape : new int[][] {{1, 32, 2}, {3, 64, 5}, {7, 96, 17}, {6, 2048, 32}, {9, 288, 33}}) {
        int rows = shape[0], cols = shape[1], tokens = shape[2];
        try (Arena arena = Arena.ofConfined()) {
          Tensor w = randomTensor(type, rows, cols, rnd, arena);
          float[] x = randomActivations(tokens * cols, rnd);
          Q8Batch batch = new Q8Batch(tokens, cols + 32);
          for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
          float[] expected = new float[tokens * rows];
          Kernels.matmulQ8(0, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, 0, rows, batch, 0, tokens, expected, rows);
          for (int bits : new int[] {0, 128, 256, 512}) {
            batch.transposeTokens(bits == 0 ? 1 : bits / 32, tokens, cols);
            float[] out = new float[tokens * rows];
            float[] panel = new float[Kernels.GEMM_ROWS * cols];
            int mid = rows / 2;
            Kernels.matmulQ8Lanes(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, 0, mid, batch, tokens, out, rows, panel);
            Kernels.matmulQ8Lanes(bits, type == GgmlType.Q4_0, w.data(), w.rowBytes(), cols, mid, rows, batch, tokens, out, rows, panel);
            for (int i = 0; i < out.length; i++) {
              assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]),
                  type + " " + rows + "x" + cols + ", " + tokens + " tokens at " + bits + " bits, output " + i + ": " + expected[i] + " vs " + out[i]);
            }
          }
        }
      }
    }
  }

  /** The token-lane kernel in the repacked Q4_0 order gives {@link Q4Repacked#matmul}'s bits at every width. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void repackedLaneKernelIsBitIdenticalToQ4Repacked(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed + 70);
    for (int[] shape : new int[][] {{8, 64, 2}, {16, 96, 17}, {8, 2048, 32}, {24, 288, 33}}) {
      int rows = shape[0], cols = shape[1], tokens = shape[2];
      try (Arena arena = Arena.ofConfined()) {
        Tensor w = randomTensor(GgmlType.Q4_0, rows, cols, rnd, arena);
        float[] x = randomActivations(tokens * cols, rnd);
        Q8Batch batch = new Q8Batch(tokens, cols + 32);
        for (int t = 0; t < tokens; t++) batch.quantize(t, x, t * cols, cols);
        float[] expected = new float[tokens * rows];
        Q4Repacked.matmul(w.data(), w.rowBytes(), cols, 0, rows, batch, 0, tokens, expected, rows);
        for (int bits : new int[] {0, 128, 256, 512}) {
          batch.transposeTokens(bits == 0 ? 1 : bits / 32, tokens, cols);
          float[] out = new float[tokens * rows];
          float[] panel = new float[Kernels.GEMM_ROWS * cols];
          int mid = rows / 2;
          Kernels.matmulQ4RepackedLanes(bits, w.data(), w.rowBytes(), cols, 0, mid, batch, tokens, out, rows, panel);
          Kernels.matmulQ4RepackedLanes(bits, w.data(), w.rowBytes(), cols, mid, rows, batch, tokens, out, rows, panel);
          for (int i = 0; i < out.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]),
                rows + "x" + cols + ", " + tokens + " tokens at " + bits + " bits, output " + i + ": " + expected[i] + " vs " + out[i]);
          }
        }
      }
    }
  }

  /** The GEMM's one-pass Q8_0 round trip gives exactly quantize then q * d, zero blocks included. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void q8RoundTripEqualsQuantizeThenDequantize(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed + 90);
    int n = 32 * 41;
    float[] x = randomActivations(n + 7, rnd);
    java.util.Arrays.fill(x, 7 + 64, 7 + 96, 0f); // an all-zero block
    x[7 + 200] = 1e-30f; // a tiny block maximum
    Q8Batch batch = new Q8Batch(2, n);
    batch.quantize(1, x, 7, n);
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) expected[i] = batch.q(1, i) * batch.scale(1, i / 32);
    float[] got = new float[n + 3];
    Q8Batch.roundTrip(x, 7, n, got, 3);
    for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i + 3]), "element " + i);
  }

  /**
   * The prefill GEMM against a double-precision reference at every width (and the scalar fallback):
   * row counts that leave a partial panel, token counts that leave partial 4-token tiles, row
   * lengths with vector tails, rows split in two ranges as the worker pool does.
   */
  @ParameterizedTest
  @ValueSource(strings = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"})
  void gemmMatchesTheScalarReferenceAtEveryWidth(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    SplittableRandom rnd = new SplittableRandom(typeName.hashCode() + 7);
    int bs = Math.max(type.blockSize(), 1);
    int[] colsList = bs == 1 ? new int[] {1, 7, 33, 100, 2051} : new int[] {bs, 3 * bs, 9 * bs};
    for (int cols : colsList) {
      for (int[] shape : new int[][] {{1, 2}, {4, 4}, {7, 5}, {13, 9}}) {
        int rows = shape[0], tokens = shape[1];
        try (Arena arena = Arena.ofConfined()) {
          Tensor w = randomTensor(type, rows, cols, rnd, arena);
          float[] x = randomActivations(tokens * cols + 3, rnd);
          float[] wrow = new float[cols];
          for (int bits : new int[] {0, 128, 256, 512}) {
            for (boolean narrow : new boolean[] {false, true}) { // 4x4 and 4x2 register tiles
              float[] out = new float[tokens * rows];
              float[] panel = new float[Kernels.GEMM_ROWS * cols];
              int mid = rows / 2;
              // Activations from offset 3 with a stride of cols: nothing assumes aligned rows.
              float[] xs = java.util.Arrays.copyOfRange(x, 3, x.length);
              Kernels.gemm(bits, type, w.data(), w.rowBytes(), cols, 0, mid, xs, cols, tokens, out, rows, panel, narrow);
              Kernels.gemm(bits, type, w.data(), w.rowBytes(), cols, mid, rows, xs, cols, tokens, out, rows, panel, narrow);
              for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < rows; r++) {
                  w.dequantizeRow(r, wrow, 0);
                  double[] e = exactDot(wrow, xs, t * cols, cols);
                  double exact = e[0], magnitude = e[1];
                  float got = out[t * rows + r];
                  assertTrue(Math.abs(got - exact) <= 1e-5 * magnitude + 1e-30,
                      type + " " + rows + "x" + cols + ", " + tokens + " tokens at " + bits + " bits (" + (narrow ? "4x2" : "4x4")
                          + " tile), token " + t + " row " + r + ": " + got + " vs " + exact);
                }
              }
            }
          }
        }
      }
    }
  }

  /** The GEMM's vectorised Q8_0/Q4_0 dequantization gives ggml's values bit for bit at every width. */
  @ParameterizedTest
  @ValueSource(strings = {"Q8_0", "Q4_0"})
  void gemmDequantizationIsBitIdentical(String typeName) {
    GgmlType type = GgmlType.valueOf(typeName);
    SplittableRandom rnd = new SplittableRandom(11);
    int rows = 5, cols = 32 * 37;
    try (Arena arena = Arena.ofConfined()) {
      Tensor w = randomTensor(type, rows, cols, rnd, arena);
      float[] expected = new float[cols];
      for (int r = 0; r < rows; r++) {
        w.dequantizeRow(r, expected, 0);
        for (int bits : WIDTHS) {
          float[] got = new float[cols + 5];
          switch (bits) {
            case 512 -> FloatSimd512.dequantizeRow(type, w.data(), r * w.rowBytes(), cols, got, 5);
            case 256 -> FloatSimd256.dequantizeRow(type, w.data(), r * w.rowBytes(), cols, got, 5);
            default -> FloatSimd128.dequantizeRow(type, w.data(), r * w.rowBytes(), cols, got, 5);
          }
          for (int i = 0; i < cols; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i + 5]), type + " row " + r + " element " + i + " at " + bits + " bits");
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 128, 256, 512})
  void dotAndAxpyAtEveryWidth(int bits) {
    SplittableRandom rnd = new SplittableRandom(bits);
    for (int n : new int[] {1, 3, 8, 15, 16, 17, 64, 65, 127, 1000}) {
      float[] a = randomActivations(n + 5, rnd);
      float[] b = randomActivations(n + 3, rnd);
      double exact = 0, mag = 0;
      for (int i = 0; i < n; i++) {
        exact += (double) a[i + 5] * b[i + 3];
        mag += Math.abs((double) a[i + 5] * b[i + 3]);
      }
      float got = bits == 0 ? ScalarKernels.dot(a, 5, b, 3, n) : Kernels.dot(bits, a, 5, b, 3, n);
      assertTrue(Math.abs(got - exact) <= 1e-5 * mag, "dot n=" + n + ": " + got + " vs " + exact);
      // axpy multiplies then adds per element: exactly the scalar loop's bits.
      float[] y1 = randomActivations(n + 2, rnd);
      float[] y2 = y1.clone();
      for (int i = 0; i < n; i++) y1[i + 2] += 0.37f * a[i + 5];
      if (bits == 0) {
        for (int i = 0; i < n; i++) y2[i + 2] += 0.37f * a[i + 5];
      } else {
        Kernels.axpy(bits, 0.37f, a, 5, y2, 2, n);
      }
      for (int i = 0; i < y1.length; i++) assertEquals(Float.floatToIntBits(y1[i]), Float.floatToIntBits(y2[i]), "axpy n=" + n + " at " + i);
    }
  }
}
