package ai.edgeai.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.vision.BoundingBox;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

  /** A frame whose B, G, R bytes encode x, y and a constant, so resampled values are predictable. */
  private static Frame gradient(int w, int h) {
    byte[] px = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        px[o] = (byte) x;
        px[o + 1] = (byte) y;
        px[o + 2] = (byte) 200;
      }
    }
    return new Frame(w, h, px);
  }

  private static PreprocessSpec spec(int w, int h, ColorOrder c, ResizeMode r, PadCorner corner, float mean, float std) {
    return new PreprocessSpec(w, h, c, new float[] {mean, mean, mean}, new float[] {std, std, std}, r, 114, corner);
  }

  @Test
  void sameSizeStretchCopiesPixelsIntoPlanesInBgrOrder() {
    Frame f = gradient(8, 4);
    Preprocessor p = new Preprocessor(spec(8, 4, ColorOrder.BGR, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 0, 1));
    float[] chw = new float[p.imageSize()];
    p.fill(f, chw, 0);
    assertEquals(5, chw[2 * 8 + 5]); // B plane = x
    assertEquals(2, chw[32 + 2 * 8 + 5]); // G plane = y
    assertEquals(200, chw[64 + 2 * 8 + 5]); // R plane
  }

  @Test
  void rgbOrderAndNormalisationApplyPerInputChannel() {
    Frame f = gradient(8, 4);
    PreprocessSpec s = new PreprocessSpec(8, 4, ColorOrder.RGB, new float[] {100, 0, 0}, new float[] {50, 1, 2},
        ResizeMode.STRETCH, 0, PadCorner.TOP_LEFT);
    Preprocessor p = new Preprocessor(s);
    float[] chw = new float[p.imageSize()];
    p.fill(f, chw, 0);
    assertEquals((200 - 100) / 50f, chw[0], 1e-6); // plane 0 = R
    assertEquals(3, chw[32 + 3 * 8], 1e-6); // plane 1 = G = y
    assertEquals(7 / 2f, chw[64 + 7], 1e-6); // plane 2 = B = x, / std 2
  }

  @Test
  void downscaleByTwoAveragesNeighbours() {
    Frame f = gradient(16, 8);
    Preprocessor p = new Preprocessor(spec(8, 4, ColorOrder.BGR, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 0, 1));
    float[] chw = new float[p.imageSize()];
    ImageTransform t = p.fill(f, chw, 0);
    // output x=3 samples source x = 3.5*2-0.5 = 6.5 -> average of 6 and 7
    assertEquals(6.5f, chw[3], 1e-5);
    assertEquals(0.5, t.scaleX(), 1e-12);
    assertEquals(14.0, t.toSourceX(7), 1e-9);
  }

  @Test
  void letterboxTopLeftPadsRightAndBottomAndMapsBack() {
    Frame f = gradient(20, 10);
    Preprocessor p = new Preprocessor(spec(10, 10, ColorOrder.BGR, ResizeMode.LETTERBOX, PadCorner.TOP_LEFT, 0, 1));
    float[] chw = new float[p.imageSize()];
    ImageTransform t = p.fill(f, chw, 0);
    assertEquals(0.5, t.scaleX(), 1e-12);
    assertEquals(200, chw[2 * 100 + 4 * 10 + 9], 1e-4); // image rows 0..4 filled
    assertEquals(114, chw[5 * 10 + 3], 0); // row 5 is padding in every plane
    assertEquals(114, chw[100 + 9 * 10 + 9], 0);
    BoundingBox b = t.toSource(1, 1, 4, 3);
    assertEquals(new BoundingBox(2, 2, 8, 6), b);
    assertEquals(10.0, t.toSourceY(9.5), 1e-9); // clamped to the image
  }

  @Test
  void letterboxCentreSplitsPadding() {
    Frame f = gradient(20, 10);
    Preprocessor p = new Preprocessor(spec(10, 10, ColorOrder.BGR, ResizeMode.LETTERBOX, PadCorner.CENTER, 0, 1));
    float[] chw = new float[p.imageSize()];
    ImageTransform t = p.fill(f, chw, 0);
    assertEquals(2.0, t.offsetY(), 0);
    assertEquals(114, chw[10 + 4], 0);
    assertEquals(200, chw[200 + 2 * 10 + 4], 1e-4);
    assertEquals(114, chw[200 + 7 * 10 + 4], 0);
    assertEquals(0.0, t.toSourceY(2), 1e-9);
  }

  @Test
  void cropMapsBackIntoFrameCoordinates() {
    Frame f = gradient(40, 40);
    Preprocessor p = new Preprocessor(spec(10, 20, ColorOrder.BGR, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 0, 1));
    float[] chw = new float[p.imageSize() * 2];
    ImageTransform t = p.fillCrop(f, new BoundingBox(10, 5, 20, 25), chw, p.imageSize());
    assertEquals(10.0, chw[p.imageSize()], 1e-4); // B = x of the crop's first column
    assertEquals(5.0, chw[p.imageSize() + 200], 1e-4); // G = y of its first row
    assertEquals(15.0, t.toSourceX(5), 1e-9);
    assertEquals(15.0, t.toSourceY(10), 1e-9);
  }

  /** The direct-buffer target (a model's input tensor) gets exactly the array target's values. */
  @Test
  void directBufferFillMatchesArrayFillForEveryResizeMode() {
    Frame f = gradient(37, 23);
    PreprocessSpec[] specs = {
      spec(16, 12, ColorOrder.RGB, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 10, 3),
      spec(16, 16, ColorOrder.BGR, ResizeMode.LETTERBOX, PadCorner.TOP_LEFT, 0, 1),
      spec(16, 16, ColorOrder.RGB, ResizeMode.LETTERBOX, PadCorner.CENTER, 127, 128),
      spec(12, 20, ColorOrder.BGR, ResizeMode.LETTERBOX, PadCorner.CENTER, 1, 2),
    };
    for (PreprocessSpec s : specs) {
      Preprocessor p = new Preprocessor(s);
      float[] expected = new float[p.imageSize()];
      ImageTransform te = p.fill(f, expected, 0);
      FloatBuffer direct = ByteBuffer.allocateDirect(p.imageSize() * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      for (int i = 0; i < p.imageSize(); i++) direct.put(i, Float.NaN); // every value must be written
      ImageTransform ta = p.fill(f, direct);
      float[] actual = new float[p.imageSize()];
      direct.get(0, actual);
      assertArrayEquals(expected, actual, s.toString());
      assertEquals(te, ta);
      BoundingBox roi = new BoundingBox(3.5, 2.2, 30.1, 20.9);
      p.fillCrop(f, roi, expected, 0);
      p.fillCrop(f, roi, direct);
      direct.get(0, actual);
      assertArrayEquals(expected, actual, "crop " + s);
    }
  }

  /** Upscaling clamps the last columns to the last source pixel; its value must come out exact. */
  @Test
  void upscaleKeepsEdgeColumnsExact() {
    Frame f = gradient(8, 4);
    Preprocessor p = new Preprocessor(spec(16, 8, ColorOrder.BGR, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 0, 1));
    float[] chw = new float[p.imageSize()];
    p.fill(f, chw, 0);
    for (int y = 0; y < 8; y++) {
      assertEquals(7f, chw[y * 16 + 15], "B plane = x, last column, row " + y);
      assertEquals(0f, chw[y * 16], "B plane = x, first column, row " + y);
      assertEquals(6.75f, chw[y * 16 + 14], 1e-6f, "row " + y); // s = 14.5/2 - 0.5 = 6.75
    }
  }

  /** Random bytes: every column and row differs, so an off-by-one in either pass shows. */
  private static Frame noise(int w, int h, long seed) {
    byte[] px = new byte[w * h * 3];
    new java.util.SplittableRandom(seed).nextBytes(px);
    return new Frame(w, h, px);
  }

  /**
   * Textbook separable bilinear (half-pixel centres, edge clamp), BGR planes, normalised: the same
   * float operations in the same order as the production code, written out per output value.
   */
  private static float[] reference(Frame f, int sx, int sy, int sw, int sh, int inW, int inH, float mean, float std) {
    float a = 1f / std, bias = -mean / std;
    float[] out = new float[3 * inW * inH];
    byte[] px = f.bgr();
    for (int y = 0; y < inH; y++) {
      double syd = Math.clamp((y + 0.5) * ((double) sh / inH) - 0.5, 0, sh - 1);
      int j = (int) syd, j1 = Math.min(j + 1, sh - 1);
      float wy = (float) (syd - j);
      for (int x = 0; x < inW; x++) {
        double sxd = Math.clamp((x + 0.5) * ((double) sw / inW) - 0.5, 0, sw - 1);
        int i = (int) sxd, i1 = Math.min(i + 1, sw - 1);
        float wx = (float) (sxd - i);
        for (int c = 0; c < 3; c++) {
          float top = horizontal(px, f.width(), sx + i, sx + i1, sy + j, c, wx);
          float bottom = horizontal(px, f.width(), sx + i, sx + i1, sy + j1, c, wx);
          out[c * inW * inH + y * inW + x] = top * ((1 - wy) * a) + bottom * (wy * a) + bias;
        }
      }
    }
    return out;
  }

  private static float horizontal(byte[] px, int width, int x0, int x1, int row, int c, float w) {
    float p0 = px[(row * width + x0) * 3 + c] & 0xFF;
    return p0 + ((px[(row * width + x1) * 3 + c] & 0xFF) - p0) * w;
  }

  @Test
  void stretchMatchesTheTextbookBilinearExactly() {
    // 2:1 across (the camera-frame fast path) and other ratios, up and down.
    int[][] cases = {{640, 360, 320, 240}, {64, 36, 32, 24}, {50, 30, 20, 12}, {41, 17, 20, 9}, {13, 7, 31, 15}, {2, 2, 1, 1}};
    for (int[] k : cases) {
      Frame f = noise(k[0], k[1], k[0] * 31L + k[1]);
      Preprocessor p = new Preprocessor(spec(k[2], k[3], ColorOrder.BGR, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 127.5f, 128f));
      float[] chw = new float[p.imageSize()];
      p.fill(f, chw, 0);
      assertArrayEquals(reference(f, 0, 0, k[0], k[1], k[2], k[3], 127.5f, 128f), chw, 0f, k[0] + "x" + k[1] + " -> " + k[2] + "x" + k[3]);
    }
  }

  @Test
  void cropAtTwoToOneMatchesTheTextbookBilinearExactly() {
    Frame f = noise(100, 60, 7);
    Preprocessor p = new Preprocessor(spec(32, 16, ColorOrder.BGR, ResizeMode.STRETCH, PadCorner.TOP_LEFT, 0f, 1f));
    float[] chw = new float[p.imageSize()];
    p.fillCrop(f, new BoundingBox(10, 5, 74, 37), chw, 0); // 64 x 32 from (10, 5): 2:1 both ways
    assertArrayEquals(reference(f, 10, 5, 64, 32, 32, 16, 0f, 1f), chw, 0f);
  }
}
