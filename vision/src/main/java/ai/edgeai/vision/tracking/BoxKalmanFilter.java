package ai.edgeai.vision.tracking;

import ai.edgeai.vision.BoundingBox;

/**
 * Constant-velocity Kalman filter on a box, state [cx, cy, s, r, ċx, ċy, ṡ] where s is the area and
 * r the aspect ratio w/h (assumed constant, so it has no velocity), measurement [cx, cy, s, r].
 * Noise values are SORT's published ones: R = diag(1, 1, 10, 10), P₀ = diag(10, 10, 10, 10, 1e4,
 * 1e4, 1e4), Q = diag(1, 1, 1, 1, 0.01, 0.01, 1e-4).
 */
final class BoxKalmanFilter {

  private static final int N = 7;
  private static final int M = 4;
  private static final double[] R = {1, 1, 10, 10};
  private static final double[] P0 = {10, 10, 10, 10, 1e4, 1e4, 1e4};
  private static final double[] Q = {1, 1, 1, 1, 0.01, 0.01, 1e-4};

  private final double[] x = new double[N];
  private final double[][] p = new double[N][N];

  BoxKalmanFilter(BoundingBox box) {
    double[] z = measurement(box);
    System.arraycopy(z, 0, x, 0, M);
    for (int i = 0; i < N; i++) p[i][i] = P0[i];
  }

  static double[] measurement(BoundingBox b) {
    double w = b.width();
    double h = b.height();
    return new double[] {b.x1() + w / 2, b.y1() + h / 2, w * h, h == 0 ? 0 : w / h};
  }

  void predict() {
    // A shrinking box would get a negative area; freeze the area's velocity instead.
    if (x[2] + x[6] <= 0) x[6] = 0;
    x[0] += x[4];
    x[1] += x[5];
    x[2] += x[6];
    // P = F P Fᵀ + Q, with F = I plus ones at (0,4), (1,5), (2,6).
    double[][] fp = new double[N][N];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) fp[i][j] = p[i][j] + (i < 3 ? p[i + 4][j] : 0);
    }
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) p[i][j] = fp[i][j] + (j < 3 ? fp[i][j + 4] : 0);
      p[i][i] += Q[i];
    }
  }

  void update(BoundingBox box) {
    double[] z = measurement(box);
    double[] y = new double[M];
    for (int i = 0; i < M; i++) y[i] = z[i] - x[i];
    double[][] s = new double[M][M];
    for (int i = 0; i < M; i++) {
      for (int j = 0; j < M; j++) s[i][j] = p[i][j];
      s[i][i] += R[i];
    }
    double[][] sInv = invert4(s);
    // K = P Hᵀ S⁻¹ (N × M); P Hᵀ is the first M columns of P.
    double[][] k = new double[N][M];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < M; j++) {
        double acc = 0;
        for (int l = 0; l < M; l++) acc += p[i][l] * sInv[l][j];
        k[i][j] = acc;
      }
    }
    for (int i = 0; i < N; i++) {
      double acc = 0;
      for (int j = 0; j < M; j++) acc += k[i][j] * y[j];
      x[i] += acc;
    }
    // Joseph form, (I − KH) P (I − KH)ᵀ + K R Kᵀ, keeps P symmetric and positive definite. With
    // H selecting the first M states, (I − KH) X = X − K·X[0:M, :], which avoids full products.
    double[][] a = new double[N][N]; // (I − KH) P
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        double acc = p[i][j];
        for (int l = 0; l < M; l++) acc -= k[i][l] * p[l][j];
        a[i][j] = acc;
      }
    }
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        double acc = a[i][j];
        for (int l = 0; l < M; l++) acc -= a[i][l] * k[j][l] - k[i][l] * R[l] * k[j][l];
        p[i][j] = acc;
      }
    }
  }

  /** The state as a box, or null when it no longer describes one (negative area or ratio). */
  BoundingBox box() {
    double sr = x[2] * x[3];
    if (!(sr > 0) || !Double.isFinite(sr) || !Double.isFinite(x[0]) || !Double.isFinite(x[1])) return null;
    double w = Math.sqrt(sr);
    double h = x[2] / w;
    return new BoundingBox(x[0] - w / 2, x[1] - h / 2, x[0] + w / 2, x[1] + h / 2);
  }

  private static double[][] invert4(double[][] m) {
    double[][] a = new double[M][2 * M];
    for (int i = 0; i < M; i++) {
      System.arraycopy(m[i], 0, a[i], 0, M);
      a[i][M + i] = 1;
    }
    for (int col = 0; col < M; col++) {
      int pivot = col;
      for (int r = col + 1; r < M; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      double d = a[col][col];
      if (d == 0) throw new ArithmeticException("singular innovation covariance");
      for (int j = 0; j < 2 * M; j++) a[col][j] /= d;
      for (int r = 0; r < M; r++) {
        if (r == col) continue;
        double f = a[r][col];
        if (f == 0) continue;
        for (int j = 0; j < 2 * M; j++) a[r][j] -= f * a[col][j];
      }
    }
    double[][] inv = new double[M][M];
    for (int i = 0; i < M; i++) System.arraycopy(a[i], M, inv[i], 0, M);
    return inv;
  }
}
