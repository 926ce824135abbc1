package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorProbeTest {

  @Test
  void vectorApiIsPresentUnderTheBuildFlags() {
    // Surefire runs with --add-modules jdk.incubator.vector, like the ./edgeai launcher.
    assertTrue(VectorProbe.isVectorApiPresent());
  }

  @Test
  void twinsAgreeBitForBitWhenEveryPartialSumIsExact() {
    // Small integers: every product and partial sum is exact in float, so summation order
    // cannot matter and the scalar and vector twins must return the very same number.
    SplittableRandom random = new SplittableRandom(42);
    for (int length : new int[] {0, 1, 3, 15, 16, 17, 63, 64, 65, 1000, 4096, 4099}) {
      float[] a = new float[length];
      float[] b = new float[length];
      for (int i = 0; i < length; i++) {
        a[i] = random.nextInt(-8, 9);
        b[i] = random.nextInt(-8, 9);
      }
      float expected = 0;
      for (int i = 0; i < length; i++) {
        expected += a[i] * b[i];
      }
      assertEquals(expected, VectorProbe.dotScalar(a, b), "scalar, length " + length);
      assertEquals(expected, VectorProbe.dotVector(a, b), "vector, length " + length);
    }
  }

  @Test
  void twinsAgreeWithinRoundingOnRealValues() {
    SplittableRandom random = new SplittableRandom(7);
    int length = 4097;
    float[] a = new float[length];
    float[] b = new float[length];
    double exact = 0;
    double magnitude = 0;
    for (int i = 0; i < length; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
      b[i] = (float) random.nextDouble(-1, 1);
      exact += (double) a[i] * b[i];
      magnitude += Math.abs((double) a[i] * b[i]);
    }
    // Float summation error is bounded by about n * eps * sum|a_i b_i|; both must be within it.
    double bound = length * Math.ulp(1f) * magnitude;
    assertEquals(exact, VectorProbe.dotScalar(a, b), bound);
    assertEquals(exact, VectorProbe.dotVector(a, b), bound);
  }

  @Test
  void rejectsArraysOfDifferentLength() {
    assertThrows(IllegalArgumentException.class,
        () -> VectorProbe.dotScalar(new float[3], new float[4]));
    assertThrows(IllegalArgumentException.class,
        () -> VectorProbe.dotVector(new float[3], new float[4]));
  }

  @Test
  void probeReportsWidthTimesAndAConsistentVerdict() {
    VectorProbe.Result r = VectorProbe.run(200);
    assertTrue(r.present());
    assertTrue(r.preferredBits() >= 64 && Integer.bitCount(r.preferredBits()) == 1,
        "preferred bits " + r.preferredBits());
    assertEquals(r.preferredBits() / Float.SIZE, r.floatLanes());
    assertTrue(r.scalarNanosPerElement() > 0 && r.vectorNanosPerElement() > 0);
    assertEquals(r.scalarNanosPerElement() / r.vectorNanosPerElement(), r.speedup(), 1e-9);
    VectorProbe.Verdict expected = r.speedup() >= VectorProbe.FAST_SPEEDUP
        ? VectorProbe.Verdict.FAST
        : r.speedup() >= VectorProbe.SLOW_SPEEDUP
            ? VectorProbe.Verdict.NO_SPEEDUP
            : VectorProbe.Verdict.SLOW;
    assertEquals(expected, r.verdict());
    assertFalse(r.detail().isBlank());
    assertNotEquals(VectorProbe.Verdict.UNAVAILABLE, r.verdict());
  }

  @Test
  void rejectsATooSmallBudget() {
    assertThrows(IllegalArgumentException.class, () -> VectorProbe.run(5));
  }
}
