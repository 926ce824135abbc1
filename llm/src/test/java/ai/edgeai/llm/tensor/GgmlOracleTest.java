package ai.edgeai.llm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ggml itself as the oracle: our {@link Quantize} and {@link Dequantize} against ggml's reference
 * C code on seeded random data, bit for bit. Needs node-llama-cpp's libggml-base.so (installed by
 * scripts/lib/prepare.sh); absent, the test fails under CI=true and is skipped locally.
 */
class GgmlOracleTest {

  private static GgmlOracle ggml;

  @BeforeAll
  static void load() {
    ggml = GgmlOracle.load().orElse(null);
    if (ggml == null) {
      String msg = "libggml-base.so from node-llama-cpp@3.21.1 not found (run scripts/test.sh, which installs it into .cache/npm, "
          + "or set -Dedgeai.ggml.lib / EDGEAI_GGML_LIB); looked in " + GgmlOracle.candidates();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg);
      Assumptions.abort(msg);
    }
  }

  @AfterAll
  static void close() {
    if (ggml != null) ggml.close();
  }

  /** Rows of test data: several scales, zeros, constants, ties, outliers, subnormals. */
  static List<float[]> inputs(int n, boolean specials) {
    Random rnd = new Random(20240611L);
    List<float[]> rows = new ArrayList<>();
    for (float scale : new float[] {1e-4f, 0.02f, 1f, 300f}) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) g[i] = (float) rnd.nextGaussian() * scale;
      rows.add(g);
      float[] u = new float[n];
      for (int i = 0; i < n; i++) u[i] = (rnd.nextFloat() * 2 - 1) * scale + (i % 64 < 32 ? scale : 0);
      rows.add(u);
    }
    float[] mixed = new float[n];
    for (int i = 0; i < n; i++) {
      int block = i / 32;
      mixed[i] = switch (block % 8) {
        case 0 -> 0f; // all-zero block
        case 1 -> 0.75f; // constant block
        case 2 -> (i % 32) * 0.5f - 8f; // exact halves: rounding ties
        case 3 -> i % 32 == 5 ? 1000f : (float) rnd.nextGaussian(); // one outlier
        case 4 -> -((i % 32) + 1) * 0.25f; // negative ramp, signed max negative
        case 5 -> (float) rnd.nextGaussian() * 1e-30f; // float subnormal scales
        case 6 -> (i % 32) - 16f; // small integers
        default -> Math.round(rnd.nextGaussian() * 127) / 127f;
      };
    }
    rows.add(mixed);
    if (specials) {
      float[] s = new float[n];
      float[] pool = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, 65504f, 65520f, 1e-8f,
        6.1e-5f, 3.4e38f, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC12345), 1.00390625f, 1.0078125f};
      for (int i = 0; i < n; i++) s[i] = i < pool.length ? pool[i] : Float.intBitsToFloat(rnd.nextInt());
      rows.add(s);
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "F16", "BF16"})
  void quantizeMatchesGgmlReference(GgmlType type) throws Throwable {
    int n = 4096;
    int row = 0;
    for (float[] x : inputs(n, type == GgmlType.F16 || type == GgmlType.BF16)) {
      byte[] expected = ggml.quantize(type, x);
      byte[] actual = new byte[(int) type.byteSize(n)];
      Quantize.row(type, x, 0, MemorySegment.ofArray(actual), 0, n);
      if (!java.util.Arrays.equals(expected, actual)) {
        int i = java.util.Arrays.mismatch(expected, actual);
        fail(type + " input row " + row + ": first differing byte " + i + " (block " + i / type.typeSize() + "): ggml "
            + (expected[i] & 0xFF) + ", ours " + (actual[i] & 0xFF));
      }
      row++;
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
  void dequantizeMatchesGgmlReference(GgmlType type) throws Throwable {
    int n = 256 * 64;
    Random rnd = new Random(type.id() * 7919L);
    List<byte[]> cases = new ArrayList<>();
    byte[] random = new byte[(int) type.byteSize(n)];
    rnd.nextBytes(random);
    cases.add(random); // includes Inf/NaN/subnormal scales
    if (Quantize.supports(type)) {
      for (float[] x : inputs(n, false)) {
        byte[] q = new byte[(int) type.byteSize(n)];
        Quantize.row(type, x, 0, MemorySegment.ofArray(q), 0, n);
        cases.add(q);
      }
    } else {
      // K-quants: random quants under sane half-precision scales, the shape real files have.
      byte[] tame = random.clone();
      for (int b = 0; b < n / 256; b++) {
        int p = b * type.typeSize();
        int[] halfOffsets = switch (type) {
          case Q2_K -> new int[] {80, 82};
          case Q3_K -> new int[] {108};
          case Q4_K, Q5_K -> new int[] {0, 2};
          case Q6_K -> new int[] {208};
          default -> throw new AssertionError(type);
        };
        for (int o : halfOffsets) {
          short h = Float.floatToFloat16((float) (rnd.nextGaussian() * 0.01));
          tame[p + o] = (byte) h;
          tame[p + o + 1] = (byte) (h >> 8);
        }
      }
      cases.add(tame);
    }
    int c = 0;
    for (byte[] blocks : cases) {
      float[] expected = ggml.dequantize(type, blocks, n);
      float[] actual = new float[n];
      Dequantize.row(type, MemorySegment.ofArray(blocks), 0, actual, 0, n);
      for (int i = 0; i < n; i++) {
        // floatToIntBits folds NaN payloads (NaN propagation order is not part of the contract).
        if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
          fail(type + " case " + c + " element " + i + " (block " + i / type.blockSize() + "): ggml " + expected[i] + ", ours " + actual[i]);
        }
      }
      c++;
    }
    assertEquals(cases.size(), c);
  }

  @ParameterizedTest
  @EnumSource(names = {"F16", "BF16"})
  void everyHalfBitPatternConvertsLikeGgml(GgmlType type) throws Throwable {
    byte[] all = new byte[2 * 65536];
    for (int i = 0; i < 65536; i++) {
      all[2 * i] = (byte) i;
      all[2 * i + 1] = (byte) (i >> 8);
    }
    float[] expected = ggml.dequantize(type, all, 65536);
    float[] actual = new float[65536];
    Dequantize.row(type, MemorySegment.ofArray(all), 0, actual, 0, 65536);
    int[] e = new int[65536], a = new int[65536];
    for (int i = 0; i < 65536; i++) {
      e[i] = Float.floatToIntBits(expected[i]);
      a[i] = Float.floatToIntBits(actual[i]);
    }
    assertArrayEquals(e, a);
    // and back: every half value converts to itself
    byte[] back = ggml.quantize(type, expected);
    byte[] ours = new byte[back.length];
    Quantize.row(type, actual, 0, MemorySegment.ofArray(ours), 0, 65536);
    assertArrayEquals(back, ours);
  }
}
