package ai.edgeai.llm.kernel;

import java.util.Objects;

/**
 * Finds out whether the Vector API is present on this JVM <em>and</em> turned into SIMD code by
 * the JIT. A JVM that ships {@code jdk.incubator.vector} but does not intrinsify it runs the
 * vector code as plain Java objects, tens of times slower than a scalar loop; only timing the
 * two side by side catches that.
 *
 * <p>The probe times a float dot product (the inner loop of every matrix-vector product in LLM
 * decoding) over arrays small enough to stay in L1/L2, so the result reflects compute, not
 * memory. No Vector API type appears in this class's signatures; the vector code lives in a
 * package-private class that is only loaded once the module is known to be present.
 */
public final class VectorProbe {

  /** Arrays of this many floats (2 x 16 KiB) fit in any L1/L2 cache. */
  static final int PROBE_LENGTH = 4096;

  /** Speedups at or above this count as a working Vector API. */
  public static final double FAST_SPEEDUP = 1.5;

  /** Speedups below this mean the vector code is slower than scalar: not intrinsified. */
  public static final double SLOW_SPEEDUP = 0.75;

  private VectorProbe() {}

  /** What the probe concluded. */
  public enum Verdict {
    /** Vector loop clearly faster than the scalar loop. */
    FAST,
    /** Works, but brings no measurable gain (e.g. no SIMD unit wider than a scalar). */
    NO_SPEEDUP,
    /** Vector loop slower than scalar: the JIT does not intrinsify the Vector API. */
    SLOW,
    /** The {@code jdk.incubator.vector} module is not in the boot layer. */
    UNAVAILABLE
  }

  /**
   * Outcome of {@link #run}.
   *
   * @param present whether {@code jdk.incubator.vector} is loaded
   * @param preferredBits the JIT's preferred vector width in bits (0 when absent)
   * @param floatLanes floats per preferred vector (0 when absent)
   * @param scalarNanosPerElement best time per element of the scalar loop
   * @param vectorNanosPerElement best time per element of the vector loop (NaN when absent)
   * @param speedup scalar time / vector time (NaN when absent)
   * @param verdict the conclusion drawn from {@code speedup}
   * @param detail one line explaining the verdict and, where needed, how to fix it
   */
  public record Result(
      boolean present,
      int preferredBits,
      int floatLanes,
      double scalarNanosPerElement,
      double vectorNanosPerElement,
      double speedup,
      Verdict verdict,
      String detail) {
    public Result {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(detail, "detail");
      if (preferredBits < 0 || floatLanes < 0) {
        throw new IllegalArgumentException("vector width must not be negative");
      }
    }
  }

  /** Whether the {@code jdk.incubator.vector} module is resolved in this JVM. */
  public static boolean isVectorApiPresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** The scalar twin: a plain sequential fused-multiply-add dot product. */
  public static float dotScalar(float[] a, float[] b) {
    checkSameLength(a, b);
    float sum = 0f;
    for (int i = 0; i < a.length; i++) {
      sum = Math.fma(a[i], b[i], sum);
    }
    return sum;
  }

  /**
   * The vector twin of {@link #dotScalar}. Sums in a different order (one accumulator per lane),
   * so results agree exactly only when every partial sum is exactly representable.
   *
   * @throws UnsupportedOperationException when the Vector API module is not present
   */
  public static float dotVector(float[] a, float[] b) {
    checkSameLength(a, b);
    requireVectorApi();
    return VectorDot.dot(a, b);
  }

  /**
   * Times the scalar and the vector dot product against each other.
   *
   * @param budgetMillis time to spend, split between warm-up and measurement, at least 20 ms;
   *     up to three times as much when the first attempt does not find the vector loop fast
   */
  public static Result run(long budgetMillis) {
    if (budgetMillis < 20) {
      throw new IllegalArgumentException("budgetMillis must be at least 20, got " + budgetMillis);
    }
    float[] a = new float[PROBE_LENGTH];
    float[] b = new float[PROBE_LENGTH];
    for (int i = 0; i < PROBE_LENGTH; i++) {
      a[i] = (float) Math.sin(i * 0.37);
      b[i] = (float) Math.cos(i * 0.11);
    }
    if (!isVectorApiPresent()) {
      double scalarNs = bestNanosPerElement(a, b, false, budgetMillis / 2);
      return new Result(false, 0, 0, scalarNs, Double.NaN, Double.NaN, Verdict.UNAVAILABLE,
          "module jdk.incubator.vector is not loaded; start the JVM with "
              + "--add-modules jdk.incubator.vector (the ./edgeai launcher does)");
    }
    int bits;
    int lanes;
    try {
      bits = VectorDot.preferredBits();
      lanes = VectorDot.floatLanes();
    } catch (LinkageError e) {
      return new Result(false, 0, 0, Double.NaN, Double.NaN, Double.NaN, Verdict.UNAVAILABLE,
          "jdk.incubator.vector failed to load: " + e);
    }
    // Each attempt spends half its time warming both loops up so C2 compiles them and half
    // measuring. On a busy machine the JIT may still be compiling the vector loop after the
    // first attempt, which looks exactly like a missing intrinsic; so before calling the Vector
    // API anything but fast, try once more with twice the time and keep the best of both.
    double scalarNs = Double.POSITIVE_INFINITY;
    double vectorNs = Double.POSITIVE_INFINITY;
    for (long attempt : new long[] {budgetMillis, 2 * budgetMillis}) {
      bestNanosPerElement(a, b, false, attempt / 4);
      bestNanosPerElement(a, b, true, attempt / 4);
      scalarNs = Math.min(scalarNs, bestNanosPerElement(a, b, false, attempt / 4));
      vectorNs = Math.min(vectorNs, bestNanosPerElement(a, b, true, attempt / 4));
      if (scalarNs / vectorNs >= FAST_SPEEDUP) {
        break;
      }
    }
    double speedup = scalarNs / vectorNs;
    Verdict verdict;
    String detail;
    if (speedup >= FAST_SPEEDUP) {
      verdict = Verdict.FAST;
      detail = String.format("vector loop %.1fx faster than scalar", speedup);
    } else if (speedup >= SLOW_SPEEDUP) {
      verdict = Verdict.NO_SPEEDUP;
      detail = String.format(
          "vector loop only %.2fx the scalar speed; %d-bit vectors bring no gain here", speedup, bits);
    } else {
      verdict = Verdict.SLOW;
      detail = String.format(
          "vector loop %.1fx SLOWER than scalar: this JVM does not intrinsify the Vector API; "
              + "use a HotSpot JVM with the C2 compiler (e.g. Temurin 25)", 1 / speedup);
    }
    return new Result(true, bits, lanes, scalarNs, vectorNs, speedup, verdict, detail);
  }

  /** Repeats the dot product in rounds for about {@code millis} and returns the best round. */
  private static double bestNanosPerElement(float[] a, float[] b, boolean vector, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    int repsPerRound = 64;
    double best = Double.POSITIVE_INFINITY;
    float sink = 0f;
    do {
      long start = System.nanoTime();
      for (int r = 0; r < repsPerRound; r++) {
        sink += vector ? VectorDot.dot(a, b) : dotScalar(a, b);
      }
      long elapsed = System.nanoTime() - start;
      best = Math.min(best, (double) elapsed / ((long) repsPerRound * a.length));
    } while (System.nanoTime() < deadline);
    // Keep the results alive so the JIT cannot drop the loops.
    if (Float.isNaN(sink)) {
      throw new IllegalStateException("dot product produced NaN on finite inputs");
    }
    return best;
  }

  private static void requireVectorApi() {
    if (!isVectorApiPresent()) {
      throw new UnsupportedOperationException(
          "module jdk.incubator.vector is not loaded; start the JVM with "
              + "--add-modules jdk.incubator.vector");
    }
  }

  private static void checkSameLength(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "arrays differ in length: " + a.length + " vs " + b.length);
    }
  }
}
