package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Q4Repacked}: the vector path (when this machine runs 256-bit kernels) gives the scalar
 * path's bits, and both equal the definition: per row, fma(integer block sum, d_w * d_x, acc) block
 * after block. Weight segments end at the last block, so the last row takes the scalar path.
 */
class Q4RepackedTest {

  @ParameterizedTest
  @ValueSource(ints = {32, 64, 96, 160, 2048})
  void matchesDefinition(int cols) {
    SplittableRandom rnd = new SplittableRandom(cols);
    try (Arena arena = Arena.ofConfined()) {
      int rows = 16;
      Tensor w = KernelDifferentialTest.randomTensor(GgmlType.Q4_0, rows, cols, rnd, arena);
      int xRows = 3;
      Q8Batch x = new Q8Batch(xRows, cols);
      for (int t = 0; t < xRows; t++) x.quantize(t, KernelDifferentialTest.randomActivations(cols, rnd), 0, cols);
      float[] out = new float[xRows * rows];
      Q4Repacked.matmul(w.data(), w.rowBytes(), cols, 0, rows, x, 0, xRows, out, rows);
      for (int t = 0; t < xRows; t++) {
        for (int r = 0; r < rows; r++) {
          float acc = 0f;
          for (int b = 0; b < cols / 32; b++) {
            long p = r * w.rowBytes() + 18L * b;
            float dw = Float.float16ToFloat(w.data().get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), p));
            int isum = 0;
            for (int j = 0; j < 32; j++) {
              int q = w.data().get(ValueLayout.JAVA_BYTE, p + 2 + (j & 15)) & 0xFF;
              isum += ((j < 16 ? q & 15 : q >>> 4) - 8) * x.q(t, 32 * b + j);
            }
            acc = Math.fma((float) isum, dw * x.scale(t, b), acc);
          }
          assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(out[t * rows + r]), "row " + r + ", activation row " + t);
          assertEquals(Float.floatToRawIntBits(acc), Float.floatToRawIntBits(Q4Repacked.rowScalar(w.data(), r * w.rowBytes(), cols / 32, x, t)));
        }
      }
    }
  }
}
