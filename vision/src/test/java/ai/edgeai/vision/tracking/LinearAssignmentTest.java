package ai.edgeai.vision.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinearAssignmentTest {

  /** Minimum over all injective maps of the smaller side into the larger. */
  private static double bruteForce(double[][] c) {
    int rows = c.length, cols = c[0].length;
    return rows <= cols ? best(c, 0, new boolean[cols], false) : best(c, 0, new boolean[rows], true);
  }

  private static double best(double[][] c, int i, boolean[] used, boolean transposed) {
    int n = transposed ? c[0].length : c.length;
    if (i == n) return 0;
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < used.length; j++) {
      if (used[j]) continue;
      used[j] = true;
      double v = (transposed ? c[j][i] : c[i][j]) + best(c, i + 1, used, transposed);
      used[j] = false;
      best = Math.min(best, v);
    }
    return best;
  }

  @Test
  void matchesBruteForceOnRandomRectangularMatrices() {
    Random r = new Random(7);
    for (int trial = 0; trial < 2000; trial++) {
      int rows = 1 + r.nextInt(6), cols = 1 + r.nextInt(6);
      double[][] c = new double[rows][cols];
      for (double[] row : c) for (int j = 0; j < cols; j++) row[j] = trial % 3 == 0 ? r.nextInt(4) : r.nextDouble() * 10 - 5;
      int[] a = LinearAssignment.minimize(c);
      assertEquals(rows, a.length);
      double total = 0;
      Set<Integer> usedCols = new HashSet<>();
      int assigned = 0;
      for (int i = 0; i < rows; i++) {
        if (a[i] < 0) continue;
        assertEquals(true, usedCols.add(a[i]), "column used twice");
        total += c[i][a[i]];
        assigned++;
      }
      assertEquals(Math.min(rows, cols), assigned);
      assertEquals(bruteForce(c), total, 1e-9, "trial " + trial);
    }
  }

  @Test
  void maximizeAndEdgeCases() {
    assertArrayEquals(new int[] {1, 0}, LinearAssignment.maximize(new double[][] {{1, 5}, {4, 1}}));
    assertArrayEquals(new int[0], LinearAssignment.minimize(new double[0][0]));
    assertArrayEquals(new int[] {-1, -1}, LinearAssignment.minimize(new double[2][0]));
    assertArrayEquals(new int[] {-1, 0}, LinearAssignment.minimize(new double[][] {{3}, {1}}));
    assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(new double[][] {{Double.NaN}}));
    assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(new double[][] {{1, 2}, {1}}));
  }
}
