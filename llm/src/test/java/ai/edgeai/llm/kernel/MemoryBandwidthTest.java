package ai.edgeai.llm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBandwidthTest {

  @Test
  void triadComputesBPlusScalarTimesCOnTheRangeOnly() {
    double[] a = {9, 9, 9, 9, 9};
    double[] b = {1, 2, 3, 4, 5};
    double[] c = {10, 20, 30, 40, 50};
    MemoryBandwidth.triad(a, b, c, 0.5, 1, 4);
    assertEquals(9, a[0]);
    assertEquals(2 + 10, a[1]);
    assertEquals(3 + 15, a[2]);
    assertEquals(4 + 20, a[3]);
    assertEquals(9, a[4]);
  }

  @Test
  void triadRejectsMismatchedArraysAndBadRanges() {
    assertThrows(IllegalArgumentException.class,
        () -> MemoryBandwidth.triad(new double[2], new double[3], new double[2], 1, 0, 2));
    assertThrows(IndexOutOfBoundsException.class,
        () -> MemoryBandwidth.triad(new double[2], new double[2], new double[2], 1, 0, 3));
    assertThrows(IndexOutOfBoundsException.class,
        () -> MemoryBandwidth.triad(new double[2], new double[2], new double[2], 1, 2, 1));
  }

  @Test
  void measureReportsSingleThenMultiThreadWithStreamByteCounting() {
    int n = 1_000_003; // odd, so the thread slices are uneven
    List<MemoryBandwidth.Result> results = MemoryBandwidth.measure(n, 2, 3);
    assertEquals(2, results.size());
    assertEquals(1, results.get(0).threads());
    assertEquals(2, results.get(1).threads());
    for (MemoryBandwidth.Result r : results) {
      assertEquals(n, r.elementsPerArray());
      assertEquals(8L * n, r.bytesPerArray());
      assertEquals(24.0 * n / r.bestSeconds() / 1e9, r.gigabytesPerSecond(), 1e-9);
      assertTrue(r.gigabytesPerSecond() > 0);
    }
  }

  @Test
  void singleThreadMeasurementGivesOneResult() {
    assertEquals(1, MemoryBandwidth.measure(10_000, 1, 1).size());
  }

  @Test
  void rejectsNonPositiveArguments() {
    assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.measure(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.measure(10, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.measure(10, 1, 0));
  }
}
