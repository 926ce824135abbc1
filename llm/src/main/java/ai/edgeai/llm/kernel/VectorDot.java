package ai.edgeai.llm.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API dot product. Kept in its own class so that nothing links against
 * {@code jdk.incubator.vector} until {@link VectorProbe} has checked the module is present.
 */
final class VectorDot {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorDot() {}

  static int preferredBits() {
    return SPECIES.vectorBitSize();
  }

  static int floatLanes() {
    return SPECIES.length();
  }

  static float dot(float[] a, float[] b) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int upper = SPECIES.loopBound(a.length);
    int i = 0;
    for (; i < upper; i += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      sum = Math.fma(a[i], b[i], sum);
    }
    return sum;
  }
}
