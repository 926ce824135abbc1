package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Q8BatchTest {

  /** Activations with the awkward blocks: all zero, a subnormal maximum, ties, a negative maximum. */
  private static float[] awkwardRows(int rows, int cols) {
    SplittableRandom rnd = new SplittableRandom(7);
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * (i % 97 == 0 ? 40 : 1));
    Arrays.fill(x, 64, 96, 0f); // an all-zero block: scale 0
    x[100] = Float.MIN_VALUE; // a block whose largest value is subnormal
    for (int i = 101; i < 128; i++) x[i] = 0f;
    x[200] = -3.5f; // ties and a negative maximum
    x[201] = 3.5f;
    return x;
  }

  /** The repacked kernels' quantization fills their fields with what the full one puts there. */
  @Test
  void quantizeForRepackedMatchesQuantizeOnTheFieldsItFills() {
    int cols = 320;
    float[] x = awkwardRows(2, cols);
    Q8Batch full = new Q8Batch(2, cols), light = new Q8Batch(2, cols);
    for (int row = 0; row < 2; row++) {
      full.quantize(row, x, row * cols, cols);
      light.quantizeForRepacked(row, x, row * cols, cols);
    }
    assertArrayEquals(full.qs, light.qs, "quants");
    assertArrayEquals(full.d, light.d, "scales");
    assertArrayEquals(full.nibblePairs, light.nibblePairs, "activation pairs");
    assertArrayEquals(full.q4Bias, light.q4Bias, "Q4_0 offsets");
  }

  /** The packed GEMM's quantization writes the same quants and scales, and no activation pairs. */
  @Test
  void quantizeForPackedMatchesOnQuantsAndScalesAndLeavesThePairsUnallocated() {
    int rows = 3, cols = 320;
    float[] x = awkwardRows(rows, cols);
    Q8Batch repacked = new Q8Batch(rows, cols), packed = new Q8Batch(rows, cols);
    for (int row = 0; row < rows; row++) {
      repacked.quantizeForRepacked(row, x, row * cols, cols);
      packed.quantizeForPacked(row, x, row * cols, cols);
    }
    assertArrayEquals(repacked.qs, packed.qs, "quants");
    assertArrayEquals(repacked.d, packed.d, "scales");
    assertEquals(cols / 32 * 16, packed.nibblePairs.length, "room for one row of pairs only");
    assertEquals(rows * cols / 32 * 16, repacked.nibblePairs.length, "room for every row once a later row needed it");
    packed.reserveNibbleRows(1);
    assertEquals(cols / 32 * 16, packed.nibblePairs.length);
    packed.reserveNibbleRows(2);
    assertEquals(rows * cols / 32 * 16, packed.nibblePairs.length);
  }

  /** Growing the pairs' room to more rows keeps the rows already written. */
  @Test
  void aLaterRowKeepsTheFirstRowsPairs() {
    int rows = 2, cols = 128;
    float[] x = awkwardRows(rows, cols);
    Q8Batch oneByOne = new Q8Batch(rows, cols), reserved = new Q8Batch(rows, cols);
    reserved.reserveNibbleRows(rows);
    for (int row = 0; row < rows; row++) {
      oneByOne.quantizeForRepacked(row, x, row * cols, cols);
      reserved.quantizeForRepacked(row, x, row * cols, cols);
    }
    assertArrayEquals(reserved.nibblePairs, oneByOne.nibblePairs);
  }

  @Test
  void quantizeForRepackedChecksItsArguments() {
    Q8Batch b = new Q8Batch(1, 64);
    float[] x = new float[96];
    assertThrows(IllegalArgumentException.class, () -> b.quantizeForRepacked(0, x, 0, 48));
    assertThrows(IllegalArgumentException.class, () -> b.quantizeForRepacked(0, x, 0, 96));
    assertThrows(IllegalArgumentException.class, () -> b.quantizeForRepacked(1, x, 0, 64));
    b.quantizeForRepacked(0, x, 0, 64);
    assertEquals(0f, b.d[0]);
  }
}
