package ai.edgeai.vision.face;

import ai.edgeai.vision.image.ColorOrder;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.PreprocessSpec;
import java.util.List;

/**
 * Aligns a face to the ArcFace 112×112 template: the least-squares similarity transform (rotation,
 * uniform scale, translation) from the detector's 5 landmarks to the template points, then an
 * inverse-mapped bilinear warp straight into the embedder's normalised CHW input.
 */
public final class FaceAligner {
  /**
   * ArcFace (InsightFace) reference points for 112×112: the subject's right eye, left eye, nose tip,
   * right and left mouth corner — the order YuNet emits.
   */
  public static final double[][] ARCFACE_112 = {
    {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}
  };

  private FaceAligner() {}

  /**
   * Least-squares similarity transform taking {@code src} points onto {@code dst} points: returns
   * {a, b, tx, ty} with x' = a·x − b·y + tx, y' = b·x + a·y + ty.
   */
  public static double[] similarity(double[][] src, double[][] dst) {
    int n = src.length;
    if (n < 2 || dst.length != n) throw new IllegalArgumentException("need the same number (>= 2) of source and target points");
    double sx = 0, sy = 0, dx = 0, dy = 0;
    for (int i = 0; i < n; i++) {
      sx += src[i][0];
      sy += src[i][1];
      dx += dst[i][0];
      dy += dst[i][1];
    }
    sx /= n;
    sy /= n;
    dx /= n;
    dy /= n;
    double norm = 0, a = 0, b = 0;
    for (int i = 0; i < n; i++) {
      double px = src[i][0] - sx, py = src[i][1] - sy;
      double qx = dst[i][0] - dx, qy = dst[i][1] - dy;
      norm += px * px + py * py;
      a += px * qx + py * qy;
      b += px * qy - py * qx;
    }
    if (norm == 0) throw new IllegalArgumentException("source points are all identical");
    a /= norm;
    b /= norm;
    return new double[] {a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)};
  }

  /** Transform from the face's 5 landmarks (image pixels) to the template scaled to {@code size}. */
  public static double[] toTemplate(List<double[]> landmarks, int size) {
    if (landmarks.size() != 5) throw new IllegalArgumentException("face alignment needs 5 landmarks, got " + landmarks.size());
    double[][] dst = new double[5][2];
    for (int i = 0; i < 5; i++) {
      dst[i][0] = ARCFACE_112[i][0] * size / 112.0;
      dst[i][1] = ARCFACE_112[i][1] * size / 112.0;
    }
    return similarity(landmarks.toArray(new double[0][]), dst);
  }

  /**
   * Warps the frame through transform {@code m} (image → output) into a spec.width × spec.height
   * CHW buffer, normalised per the spec; pixels from outside the frame are black, like OpenCV's
   * warpAffine default.
   */
  public static void warp(Frame frame, double[] m, PreprocessSpec spec, float[] chw, int offset) {
    double a = m[0], b = m[1], tx = m[2], ty = m[3];
    double det = a * a + b * b;
    // inverse of [[a,-b],[b,a]] is [[a,b],[-b,a]] / det
    double ia = a / det, ib = b / det;
    int w = spec.width(), h = spec.height(), plane = w * h;
    float[] mean = spec.mean();
    float[] std = spec.std();
    int planeOfB = spec.color() == ColorOrder.BGR ? 0 : 2;
    int planeOfR = 2 - planeOfB;
    byte[] src = frame.bgr();
    int fw = frame.width(), fh = frame.height(), stride = fw * 3;
    for (int v = 0; v < h; v++) {
      for (int u = 0; u < w; u++) {
        double qx = u - tx, qy = v - ty;
        double x = ia * qx + ib * qy;
        double y = -ib * qx + ia * qy;
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        float fx = (float) (x - x0), fy = (float) (y - y0);
        float bl = 0, gr = 0, rd = 0;
        for (int k = 0; k < 4; k++) {
          int xi = x0 + (k & 1), yi = y0 + (k >> 1);
          if (xi < 0 || yi < 0 || xi >= fw || yi >= fh) continue;
          float wgt = ((k & 1) == 0 ? 1 - fx : fx) * ((k >> 1) == 0 ? 1 - fy : fy);
          int p = yi * stride + xi * 3;
          bl += wgt * (src[p] & 0xFF);
          gr += wgt * (src[p + 1] & 0xFF);
          rd += wgt * (src[p + 2] & 0xFF);
        }
        int o = offset + v * w + u;
        chw[o + planeOfB * plane] = (bl - mean[planeOfB]) / std[planeOfB];
        chw[o + plane] = (gr - mean[1]) / std[1];
        chw[o + planeOfR * plane] = (rd - mean[planeOfR]) / std[planeOfR];
      }
    }
  }
}
