package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIMD dot products sum in one documented order, the same before and after C2 compiles them:
 * two accumulators of FMAs over {@code 2L}-element steps, their lane-wise sum folded by lane
 * exchanges (i with i ^ L/2, ... , i with i ^ 1), then a scalar tail. The scalar model below is
 * that order written out; thousands of calls per width take the kernels from the interpreter's
 * Vector API fallback to C2's code, and every call must give the model's bits.
 */
class FloatDotOrderTest {

  @ParameterizedTest(name = "{0}-bit")
  @ValueSource(ints = {128, 256, 512})
  void dotHasOneSummationOrderWhateverTheJitState(int bits) {
    int lanes = bits / 32;
    SplittableRandom rnd = new SplittableRandom(bits);
    int[] lengths = {64, 48, 7, 2 * lanes, 2 * lanes + 3, 200};
    for (int call = 0; call < 20_000; call++) {
      int n = lengths[call % lengths.length];
      float[] a = new float[n + 3], b = new float[n + 5];
      for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() * Math.exp(2 * rnd.nextGaussian()));
      for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
      float want = model(lanes, a, 3, b, 5, n);
      float got = switch (bits) {
        case 128 -> FloatSimd128.dot(a, 3, b, 5, n);
        case 256 -> FloatSimd256.dot(a, 3, b, 5, n);
        default -> FloatSimd512.dot(a, 3, b, 5, n);
      };
      assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), "call " + call + ", n = " + n + ": " + want + " vs " + got);
    }
  }

  private static float model(int lanes, float[] a, int aOff, float[] b, int bOff, int n) {
    float[] acc0 = new float[lanes], acc1 = new float[lanes];
    int upper = n - n % (2 * lanes);
    int i = 0;
    for (; i < upper; i += 2 * lanes) {
      for (int l = 0; l < lanes; l++) {
        acc0[l] = Math.fma(a[aOff + i + l], b[bOff + i + l], acc0[l]);
        acc1[l] = Math.fma(a[aOff + i + lanes + l], b[bOff + i + lanes + l], acc1[l]);
      }
    }
    float[] v = new float[lanes];
    for (int l = 0; l < lanes; l++) v[l] = acc0[l] + acc1[l];
    for (int k = lanes / 2; k >= 1; k /= 2) {
      float[] w = new float[lanes];
      for (int l = 0; l < lanes; l++) w[l] = v[l] + v[l ^ k];
      v = w;
    }
    float sum = v[0];
    for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
    return sum;
  }
}
