package ai.edgeai.vision.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.vision.image.ColorOrder;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.PadCorner;
import ai.edgeai.vision.image.PreprocessSpec;
import ai.edgeai.vision.image.ResizeMode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {

  @Test
  void recoversAKnownSimilarityTransform() {
    double a = 0.8 * Math.cos(0.3), b = 0.8 * Math.sin(0.3), tx = 12, ty = -7;
    double[][] src = {{10, 20}, {50, 22}, {30, 40}, {15, 60}, {45, 61}};
    double[][] dst = new double[5][];
    for (int i = 0; i < 5; i++) dst[i] = new double[] {a * src[i][0] - b * src[i][1] + tx, b * src[i][0] + a * src[i][1] + ty};
    assertArrayEquals(new double[] {a, b, tx, ty}, FaceAligner.similarity(src, dst), 1e-9);
  }

  @Test
  void landmarksOnTheTemplateGiveTheIdentity() {
    List<double[]> lm = Arrays.stream(FaceAligner.ARCFACE_112).toList();
    assertArrayEquals(new double[] {1, 0, 0, 0}, FaceAligner.toTemplate(lm, 112), 1e-9);
  }

  @Test
  void warpSamplesThroughTheInverseAndNormalises() {
    // frame 4x4 whose blue channel = 10·x; transform = translate by (-1, 0): output x samples source x+1
    byte[] px = new byte[4 * 4 * 3];
    for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) px[(y * 4 + x) * 3] = (byte) (10 * x);
    Frame f = new Frame(4, 4, px);
    PreprocessSpec spec = new PreprocessSpec(4, 4, ColorOrder.RGB, new float[] {0, 0, 5}, new float[] {1, 1, 2}, ResizeMode.STRETCH, 0, PadCorner.TOP_LEFT);
    float[] chw = new float[48];
    FaceAligner.warp(f, new double[] {1, 0, -1, 0}, spec, chw, 0);
    // blue goes to plane 2 in RGB order; (10·(x+1) − 5) / 2
    assertEquals((10 - 5) / 2f, chw[32], 1e-5);
    assertEquals((30 - 5) / 2f, chw[32 + 2], 1e-5);
    assertEquals((0 - 5) / 2f, chw[32 + 3], 1e-5); // from outside the frame: black
  }
}
