package ai.edgeai.vision.image;

import ai.edgeai.vision.BoundingBox;
import java.util.Arrays;

/**
 * Resizes (bilinear, half-pixel centres like OpenCV's INTER_LINEAR), reorders channels and
 * normalises a {@link Frame} straight into a caller-owned float CHW buffer. One pass over the output
 * pixels with array indexing only, so the hot loop has no virtual calls and allocates nothing but
 * two small index tables per call.
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
    return fill(frame, 0, 0, frame.width(), frame.height(), chw, offset);
  }

  /** Fills {@code chw[offset ..]} from the part of the frame inside {@code roi} (clamped to the frame). */
  public ImageTransform fillCrop(Frame frame, BoundingBox roi, float[] chw, int offset) {
    int x0 = (int) Math.clamp(Math.floor(roi.x1()), 0, frame.width() - 1);
    int y0 = (int) Math.clamp(Math.floor(roi.y1()), 0, frame.height() - 1);
    int x1 = (int) Math.clamp(Math.ceil(roi.x2()), x0 + 1, frame.width());
    int y1 = (int) Math.clamp(Math.ceil(roi.y2()), y0 + 1, frame.height());
    return fill(frame, x0, y0, x1 - x0, y1 - y0, chw, offset);
  }

  private ImageTransform fill(Frame frame, int sx, int sy, int sw, int sh, float[] chw, int offset) {
    int inW = spec.width();
    int inH = spec.height();
    if (chw.length < offset + imageSize()) {
      throw new IllegalArgumentException("buffer of " + chw.length + " floats too small for " + imageSize() + " at " + offset);
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
      if (cw < inW || ch < inH) pad(chw, offset, cx, cy, cw, ch);
    }
    resample(frame, sx, sy, sw, sh, chw, offset, cx, cy, cw, ch);
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

  private void resample(Frame frame, int sx, int sy, int sw, int sh, float[] chw, int offset, int cx, int cy, int cw, int ch) {
    byte[] src = frame.bgr();
    int stride = frame.width() * 3;
    int inW = spec.width();
    int plane = inW * spec.height();
    if (xIndex0.length < cw) {
      xIndex0 = new int[cw];
      xIndex1 = new int[cw];
      xWeight = new float[cw];
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
    double fy = (double) sh / ch;
    int pB = offset + planeOfB * plane;
    int pG = offset + plane;
    int pR = offset + planeOfR * plane;
    float aB = scale[planeOfB], bB = bias[planeOfB];
    float aG = scale[1], bG = bias[1];
    float aR = scale[planeOfR], bR = bias[planeOfR];
    for (int y = 0; y < ch; y++) {
      double s = Math.clamp((y + 0.5) * fy - 0.5, 0, sh - 1);
      int j = (int) s;
      float wy = (float) (s - j);
      int row0 = (sy + j) * stride;
      int row1 = (sy + Math.min(j + 1, sh - 1)) * stride;
      int out = (cy + y) * inW + cx;
      for (int x = 0; x < cw; x++, out++) {
        int a0 = row0 + xi0[x];
        int a1 = row0 + xi1[x];
        int b0 = row1 + xi0[x];
        int b1 = row1 + xi1[x];
        float wx = xw[x];
        chw[pB + out] = lerp2(src, a0, a1, b0, b1, wx, wy) * aB + bB;
        chw[pG + out] = lerp2(src, a0 + 1, a1 + 1, b0 + 1, b1 + 1, wx, wy) * aG + bG;
        chw[pR + out] = lerp2(src, a0 + 2, a1 + 2, b0 + 2, b1 + 2, wx, wy) * aR + bR;
      }
    }
  }

  private static float lerp2(byte[] s, int a0, int a1, int b0, int b1, float wx, float wy) {
    float top = (s[a0] & 0xFF) + ((s[a1] & 0xFF) - (s[a0] & 0xFF)) * wx;
    float bottom = (s[b0] & 0xFF) + ((s[b1] & 0xFF) - (s[b0] & 0xFF)) * wx;
    return top + (bottom - top) * wy;
  }
}
