package ai.edgeai.llm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties of the ggml-order helpers that do not need llama.cpp's outputs (those are LlamaParityTest's). */
class GgmlNumericsTest {

  @Test
  void expfIsCloseToExpAndFlushesLikeGgml() {
    assertEquals(1f, GgmlNumerics.expf(0f));
    assertEquals(0f, GgmlNumerics.expf(Float.NEGATIVE_INFINITY));
    assertEquals(0f, GgmlNumerics.expf(-200f));
    assertEquals(Float.POSITIVE_INFINITY, GgmlNumerics.expf(200f));
    assertTrue(Float.isNaN(GgmlNumerics.expf(Float.NaN)));
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      float x = (float) rnd.nextDouble(-87, 88);
      float want = (float) Math.exp(x);
      float got = GgmlNumerics.expf(x);
      // ggml documents a maximum error of 1.45 + 0.5 ulp.
      assertTrue(Math.abs(got - want) <= 2 * Math.ulp(want), x + ": " + got + " vs " + want);
    }
  }

  @Test
  void dotFollowsGgmlBlocksAndLeftovers() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int n : new int[] {1, 8, 63, 64, 65, 172, 256}) {
      float[] x = new float[n], y = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) rnd.nextGaussian();
        y[i] = (float) rnd.nextGaussian();
      }
      // The definition, written out: 64 lanes with FMA, lanes (l, l+32) and (l+16, l+48) added, the
      // two sums added, 16 lanes reduced by halves, then the rest added in order.
      int np = n & ~63;
      float[] acc = new float[64];
      for (int i = 0; i < np; i++) acc[i % 64] = Math.fma(x[i], y[i], acc[i % 64]);
      float[] l16 = new float[16];
      for (int l = 0; l < 16; l++) l16[l] = (acc[l] + acc[l + 32]) + (acc[l + 16] + acc[l + 48]);
      for (int w = 8; w >= 1; w /= 2) for (int l = 0; l < w; l++) l16[l] = l16[l] + l16[l + w];
      float want = l16[0];
      for (int i = np; i < n; i++) want += x[i] * y[i];
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(GgmlNumerics.dot(x, 0, y, 0, n)), "n = " + n);
    }
  }

  @Test
  void softmaxSumsToOneAndMasksOutsideTheWindow() {
    float[] x = new float[40];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian() * 3;
    float before = x[2];
    GgmlNumerics.softmax(x, 0, 3, 37);
    assertEquals(before, x[2]); // outside [first, last]: untouched
    double sum = 0;
    for (int t = 3; t <= 37; t++) sum += x[t];
    assertEquals(1.0, sum, 1e-6);
  }

  @Test
  void paddedKvIsAMultipleOf32() {
    assertEquals(32, GgmlNumerics.paddedKv(1));
    assertEquals(32, GgmlNumerics.paddedKv(32));
    assertEquals(64, GgmlNumerics.paddedKv(33));
  }
}
