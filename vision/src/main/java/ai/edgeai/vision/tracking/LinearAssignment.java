package ai.edgeai.vision.tracking;

import java.util.Arrays;

/**
 * Rectangular linear assignment (minimum total cost), solved with the shortest-augmenting-path
 * Hungarian method with row/column potentials (the Jonker–Volgenant family), O(n² m) for n ≤ m.
 *
 * <p>No assignment solver on Maven Central is both small and maintained, so this one is ours; it is
 * tested against brute force on random matrices. Every row is assigned when rows ≤ columns (and
 * every column otherwise); callers that want "no match" for poor pairs reject them afterwards or
 * give them a cost that makes another pairing cheaper.
 */
public final class LinearAssignment {

  private LinearAssignment() {}

  /**
   * Solves min Σ cost[i][assign[i]].
   *
   * @param cost a rows × cols matrix of finite costs (rows may be 0)
   * @return for each row the assigned column, or -1 when the row is left out (rows > cols)
   */
  public static int[] minimize(double[][] cost) {
    int rows = cost.length;
    if (rows == 0) return new int[0];
    int cols = cost[0].length;
    for (int i = 0; i < rows; i++) {
      if (cost[i].length != cols) throw new IllegalArgumentException("ragged cost matrix at row " + i);
      for (int j = 0; j < cols; j++) {
        if (!Double.isFinite(cost[i][j])) {
          throw new IllegalArgumentException("cost[" + i + "][" + j + "] is not finite: " + cost[i][j]);
        }
      }
    }
    if (cols == 0) {
      int[] none = new int[rows];
      Arrays.fill(none, -1);
      return none;
    }
    if (rows <= cols) return solve(cost, rows, cols, false);
    // Transpose so the smaller side is the one that is fully assigned.
    int[] colToRow = solve(cost, cols, rows, true);
    int[] rowToCol = new int[rows];
    Arrays.fill(rowToCol, -1);
    for (int j = 0; j < cols; j++) rowToCol[colToRow[j]] = j;
    return rowToCol;
  }

  /** Maximizes Σ score[i][assign[i]]; same contract as {@link #minimize}. */
  public static int[] maximize(double[][] score) {
    double[][] neg = new double[score.length][];
    for (int i = 0; i < score.length; i++) {
      neg[i] = new double[score[i].length];
      for (int j = 0; j < score[i].length; j++) neg[i][j] = -score[i][j];
    }
    return minimize(neg);
  }

  /** n ≤ m; when transposed, the matrix is read as cost[j][i]. Returns column per (small-side) row. */
  private static int[] solve(double[][] c, int n, int m, boolean transposed) {
    double[] u = new double[n + 1];
    double[] v = new double[m + 1];
    int[] p = new int[m + 1]; // p[j]: row (1-based) matched to column j; p[0] the row being inserted
    int[] way = new int[m + 1];
    double[] minv = new double[m + 1];
    boolean[] used = new boolean[m + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= m; j++) {
          if (used[j]) continue;
          double cij = transposed ? c[j - 1][i0 - 1] : c[i0 - 1][j - 1];
          double cur = cij - u[i0] - v[j];
          if (cur < minv[j]) {
            minv[j] = cur;
            way[j] = j0;
          }
          if (minv[j] < delta) {
            delta = minv[j];
            j1 = j;
          }
        }
        for (int j = 0; j <= m; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] result = new int[n];
    Arrays.fill(result, -1);
    for (int j = 1; j <= m; j++) if (p[j] != 0) result[p[j] - 1] = j - 1;
    return result;
  }
}
