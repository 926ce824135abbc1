package ai.edgeai.vision.image;

import ai.edgeai.vision.BoundingBox;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Resizes (bilinear, half-pixel centres like OpenCV's INTER_LINEAR), reorders channels and
 * normalises a {@link Frame} straight into a caller-owned float CHW buffer: a heap array, or the
 * (direct) buffer a model's input tensor wraps. Array indexing only, so the hot loops have no
 * virtual calls; the index tables and row buffers are reused across calls. Not thread-safe (one per
 * model).
 */
public final class Preprocessor {
  private final PreprocessSpec spec;
  private final float[] scale = new float[3]; // 1/std per input channel
  private final float[] bias = new float[3]; // -mean/std per input channel
  private final float[] padNormalised = new float[3];
  // Plane index (0..2) that receives the source's B, G and R values.
  private final int planeOfB;
  private final int planeOfR;
  private int[] xIndex0 = new int[0];
  private int[] xIndex1 = new int[0];
  private float[] xWeight = new float[0];
  private float[] rowA = new float[0];
  private float[] rowB = new float[0];
  // One output row of each plane, for a buffer target: blended here (in L1) and bulk-copied out, so
  // the only pass over the large CHW memory is that copy.
  private float[] rowOut = new float[0];
  private float[] padRow = new float[0];

  public Preprocessor(PreprocessSpec spec) {
    this.spec = spec;
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int c = 0; c < 3; c++) {
      scale[c] = 1f / std[c];
      bias[c] = -mean[c] / std[c];
      padNormalised[c] = spec.padValue() * scale[c] + bias[c];
    }
    planeOfB = spec.color() == ColorOrder.BGR ? 0 : 2;
    planeOfR = 2 - planeOfB;
  }

  public PreprocessSpec spec() { return spec; }

  /** Number of floats one image occupies: 3 × height × width. */
  public int imageSize() { return 3 * spec.width() * spec.height(); }

  /** Fills {@code chw[offset ..]} from the whole frame. */
  public ImageTransform fill(Frame frame, float[] chw, int offset) {
    return fill(frame, 0, 0, frame.width(), frame.height(), chw, null, offset);
  }

  /**
   * Fills {@code chw} from index 0 (absolute puts: its position and limit are left alone) from the
   * whole frame, with the same values {@link #fill(Frame, float[], int)} gives.
   */
  public ImageTransform fill(Frame frame, FloatBuffer chw) {
    return fill(frame, 0, 0, frame.width(), frame.height(), null, chw, 0);
  }

  /** As {@link #fillCrop(Frame, BoundingBox, float[], int)}, into {@code chw} from index 0. */
  public ImageTransform fillCrop(Frame frame, BoundingBox roi, FloatBuffer chw) {
    return crop(frame, roi, null, chw, 0);
  }

  /** Fills {@code chw[offset ..]} from the part of the frame inside {@code roi} (clamped to the frame). */
  public ImageTransform fillCrop(Frame frame, BoundingBox roi, float[] chw, int offset) {
    if (chw.length < offset + imageSize()) {
      throw new IllegalArgumentException("buffer of " + chw.length + " floats too small for " + imageSize() + " at " + offset);
    }
    return crop(frame, roi, chw, null, offset);
  }

  private ImageTransform crop(Frame frame, BoundingBox roi, float[] array, FloatBuffer buffer, int offset) {
    int x0 = (int) Math.clamp(Math.floor(roi.x1()), 0, frame.width() - 1);
    int y0 = (int) Math.clamp(Math.floor(roi.y1()), 0, frame.height() - 1);
    int x1 = (int) Math.clamp(Math.ceil(roi.x2()), x0 + 1, frame.width());
    int y1 = (int) Math.clamp(Math.ceil(roi.y2()), y0 + 1, frame.height());
    return fill(frame, x0, y0, x1 - x0, y1 - y0, array, buffer, offset);
  }

  /** Exactly one of {@code array} and {@code buffer} is the target. */
  private ImageTransform fill(Frame frame, int sx, int sy, int sw, int sh, float[] array, FloatBuffer buffer, int offset) {
    int inW = spec.width();
    int inH = spec.height();
    int capacity = array != null ? array.length : buffer.capacity();
    if (capacity < offset + imageSize()) {
      throw new IllegalArgumentException("buffer of " + capacity + " floats too small for " + imageSize() + " at " + offset);
    }
    int cw;
    int ch;
    int cx = 0;
    int cy = 0;
    double scaleX;
    double scaleY;
    if (spec.resize() == ResizeMode.STRETCH) {
      cw = inW;
      ch = inH;
      scaleX = (double) inW / sw;
      scaleY = (double) inH / sh;
    } else {
      double r = Math.min((double) inW / sw, (double) inH / sh);
      cw = Math.clamp(Math.round(sw * r), 1, inW);
      ch = Math.clamp(Math.round(sh * r), 1, inH);
      if (spec.padCorner() == PadCorner.CENTER) {
        cx = (inW - cw) / 2;
        cy = (inH - ch) / 2;
      }
      scaleX = r;
      scaleY = r;
      if (cw < inW || ch < inH) {
        if (array != null) pad(array, offset, cx, cy, cw, ch);
        else pad(buffer, cx, cy, cw, ch);
      }
    }
    resample(frame, sx, sy, sw, sh, array, buffer, offset, cx, cy, cw, ch);
    return new ImageTransform(scaleX, scaleY, cx, cy, sx, sy, sw, sh);
  }

  private void pad(float[] chw, int offset, int cx, int cy, int cw, int ch) {
    int inW = spec.width();
    int inH = spec.height();
    int plane = inW * inH;
    for (int c = 0; c < 3; c++) {
      float v = padNormalised[c];
      int base = offset + c * plane;
      Arrays.fill(chw, base, base + cy * inW, v);
      Arrays.fill(chw, base + (cy + ch) * inW, base + plane, v);
      if (cw < inW) {
        for (int y = cy; y < cy + ch; y++) {
          int row = base + y * inW;
          Arrays.fill(chw, row, row + cx, v);
          Arrays.fill(chw, row + cx + cw, row + inW, v);
        }
      }
    }
  }

  /** {@link #pad(float[], int, int, int, int, int)} for a buffer target, in bulk puts of a pad row. */
  private void pad(FloatBuffer chw, int cx, int cy, int cw, int ch) {
    int inW = spec.width();
    int inH = spec.height();
    int plane = inW * inH;
    if (padRow.length < inW) padRow = new float[inW];
    float[] row = padRow;
    for (int c = 0; c < 3; c++) {
      Arrays.fill(row, 0, inW, padNormalised[c]);
      int base = c * plane;
      for (int y = 0; y < cy; y++) chw.put(base + y * inW, row, 0, inW);
      for (int y = cy + ch; y < inH; y++) chw.put(base + y * inW, row, 0, inW);
      if (cw < inW) {
        for (int y = cy; y < cy + ch; y++) {
          int at = base + y * inW;
          chw.put(at, row, 0, cx);
          chw.put(at + cx + cw, row, 0, inW - cx - cw);
        }
      }
    }
  }

  private void resample(Frame frame, int sx, int sy, int sw, int sh, float[] chw, FloatBuffer buffer, int offset, int cx, int cy, int cw, int ch) {
    byte[] src = frame.bgr();
    int stride = frame.width() * 3;
    int inW = spec.width();
    int plane = inW * spec.height();
    if (xIndex0.length < cw) {
      xIndex0 = new int[cw];
      xIndex1 = new int[cw];
      xWeight = new float[cw];
    }
    if (rowA.length < 3 * cw) {
      rowA = new float[3 * cw];
      rowB = new float[3 * cw];
      rowOut = new float[3 * cw];
    }
    int[] xi0 = xIndex0;
    int[] xi1 = xIndex1;
    float[] xw = xWeight;
    double fx = (double) sw / cw;
    for (int x = 0; x < cw; x++) {
      double s = Math.clamp((x + 0.5) * fx - 0.5, 0, sw - 1);
      int i = (int) s;
      xi0[x] = (sx + i) * 3;
      xi1[x] = (sx + Math.min(i + 1, sw - 1)) * 3;
      xw[x] = (float) (s - i);
    }
    // The horizontal pass reads the right neighbour at +3 bytes; where it would be clamped (the
    // last column), it reads the pair left of it with weight 1, which gives the same value exactly
    // (p0 + (p1 − p0)·1 = p1 for byte values).
    boolean adjacent = sw > 1;
    // Exactly 2:1 across (a 640-wide camera frame into a 320-wide input): every output column
    // blends source columns 2x and 2x+1 with weight 0.5, so the index tables are not needed.
    boolean half = sw == 2 * cw;
    for (int x = 0; x < cw && adjacent; x++) {
      if (xi1[x] == xi0[x]) {
        xi0[x] -= 3;
        xw[x] = 1f;
      }
    }
    double fy = (double) sh / ch;
    int pB = offset + planeOfB * plane;
    int pG = offset + plane;
    int pR = offset + planeOfR * plane;
    // The 2:1 rows hold twice the resampled value; halving the scale undoes that exactly.
    float rowScale = half ? 0.5f : 1f;
    float aB = scale[planeOfB] * rowScale, bB = bias[planeOfB];
    float aG = scale[1] * rowScale, bG = bias[1];
    float aR = scale[planeOfR] * rowScale, bR = bias[planeOfR];
    // Separable: each needed source row is resampled horizontally once (into planar B, G, R rows) and
    // kept while consecutive output rows still use it; output rows then blend two such rows.
    float[] top = rowA;
    float[] bottom = rowB;
    int topRow = -1;
    int bottomRow = -1;
    for (int y = 0; y < ch; y++) {
      double s = Math.clamp((y + 0.5) * fy - 0.5, 0, sh - 1);
      int j = (int) s;
      int j1 = Math.min(j + 1, sh - 1);
      float wy = (float) (s - j);
      if (topRow != j) {
        if (bottomRow == j) {
          float[] t = top;
          top = bottom;
          bottom = t;
          topRow = j;
          bottomRow = -1;
        } else {
          if (half) horizontalHalfDoubled(src, (sy + j) * stride + 3 * sx, cw, top);
          else horizontal(src, (sy + j) * stride, xi0, xi1, xw, cw, top, adjacent);
          topRow = j;
        }
      }
      if (bottomRow != j1) {
        if (half) horizontalHalfDoubled(src, (sy + j1) * stride + 3 * sx, cw, bottom);
        else horizontal(src, (sy + j1) * stride, xi0, xi1, xw, cw, bottom, adjacent);
        bottomRow = j1;
      }
      int out = (cy + y) * inW + cx;
      if (chw != null) {
        blend(top, bottom, 0, wy, aB, bB, chw, pB + out, cw);
        blend(top, bottom, cw, wy, aG, bG, chw, pG + out, cw);
        blend(top, bottom, 2 * cw, wy, aR, bR, chw, pR + out, cw);
      } else {
        float[] row = rowOut;
        blend(top, bottom, 0, wy, aB, bB, row, 0, cw);
        blend(top, bottom, cw, wy, aG, bG, row, cw, cw);
        blend(top, bottom, 2 * cw, wy, aR, bR, row, 2 * cw, cw);
        buffer.put(pB + out, row, 0, cw);
        buffer.put(pG + out, row, cw, cw);
        buffer.put(pR + out, row, 2 * cw, cw);
      }
    }
  }

  /**
   * One output row of one plane: vertical blend of two planar source rows and normalisation folded
   * into {@code top·(1−wy)·a + bottom·wy·a + b}; contiguous arrays and no index tables, so the JIT
   * vectorises it.
   */
  private static void blend(float[] top, float[] bottom, int from, float wy, float a, float b, float[] dst, int at, int n) {
    float cTop = (1 - wy) * a;
    float cBottom = wy * a;
    for (int x = 0; x < n; x++) dst[at + x] = top[from + x] * cTop + bottom[from + x] * cBottom + b;
  }

  /**
   * {@link #horizontal} for exactly 2:1 across, times two: output column x is the integer sum of
   * source pixels 2x and 2x+1 (from {@code start}), and the caller halves its blend coefficients.
   * Exact either way: for byte values p0 + (p1 − p0)·0.5 = (p0 + p1)·0.5 in float, and halving a
   * factor commutes with rounding, so the products match the general loop's bit for bit. The byte
   * offsets are linear in x, so the JIT drops the per-load bounds checks.
   */
  private static void horizontalHalfDoubled(byte[] src, int start, int cw, float[] dst) {
    int g = cw;
    int r = 2 * cw;
    for (int x = 0; x < cw; x++) {
      int a = start + 6 * x;
      dst[x] = (src[a] & 0xFF) + (src[a + 3] & 0xFF);
      dst[g + x] = (src[a + 1] & 0xFF) + (src[a + 4] & 0xFF);
      dst[r + x] = (src[a + 2] & 0xFF) + (src[a + 5] & 0xFF);
    }
  }

  /**
   * Horizontal resampling of one source row into planar B, G, R rows of {@code cw} floats each.
   * With {@code adjacent} the right neighbour is always 3 bytes after the left one, so one index
   * table is read instead of two.
   */
  private static void horizontal(byte[] src, int rowStart, int[] xi0, int[] xi1, float[] xw, int cw, float[] dst, boolean adjacent) {
    int g = cw;
    int r = 2 * cw;
    if (adjacent) {
      for (int x = 0; x < cw; x++) {
        int a = rowStart + xi0[x];
        float w = xw[x];
        float b0 = src[a] & 0xFF, g0 = src[a + 1] & 0xFF, r0 = src[a + 2] & 0xFF;
        dst[x] = b0 + ((src[a + 3] & 0xFF) - b0) * w;
        dst[g + x] = g0 + ((src[a + 4] & 0xFF) - g0) * w;
        dst[r + x] = r0 + ((src[a + 5] & 0xFF) - r0) * w;
      }
      return;
    }
    for (int x = 0; x < cw; x++) {
      int a = rowStart + xi0[x];
      int b = rowStart + xi1[x];
      float w = xw[x];
      float b0 = src[a] & 0xFF, g0 = src[a + 1] & 0xFF, r0 = src[a + 2] & 0xFF;
      dst[x] = b0 + ((src[b] & 0xFF) - b0) * w;
      dst[g + x] = g0 + ((src[b + 1] & 0xFF) - g0) * w;
      dst[r + x] = r0 + ((src[b + 2] & 0xFF) - r0) * w;
    }
  }


}
