package ai.edgeai.vision.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.ModelOutputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The YOLOv5/v8 decoder on hand-built output tensors. */
class YoloDecoderTest {

  @Test
  void yolov5RowsUseObjectnessTimesClass() {
    int classes = 3;
    int n = 4;
    float[] p = new float[n * (5 + classes)];
    // row 0: box centred (100, 50) 40x20, obj 0.9, class 2 = 0.8 -> score 0.72
    set(p, 0, 5 + classes, 100, 50, 40, 20, 0.9f, 0.1f, 0.2f, 0.8f);
    // row 1: high class but low objectness -> 0.2 * 0.9 = 0.18, dropped at 0.25
    set(p, 1, 5 + classes, 10, 10, 4, 4, 0.2f, 0.9f, 0f, 0f);
    // row 3: class 0 = 0.5, obj 0.6 -> 0.3
    set(p, 3, 5 + classes, 200, 200, 10, 10, 0.6f, 0.5f, 0f, 0f);
    ModelOutputs out = ModelOutputs.of(List.of("output0"), List.of(new long[] {1, n, 5 + classes}), List.of(p));
    Candidates c = new Candidates(0);
    new YoloDecoder(YoloDecoder.Format.AUTO, classes).decode(out, 0.25f, c);
    assertEquals(2, c.size());
    assertEquals(80, c.x1(0), 1e-5);
    assertEquals(40, c.y1(0), 1e-5);
    assertEquals(120, c.x2(0), 1e-5);
    assertEquals(60, c.y2(0), 1e-5);
    assertEquals(0.72f, c.score(0), 1e-6);
    assertEquals(2, c.classId(0));
    assertEquals(0, c.classId(1));
    assertEquals(0.3f, c.score(1), 1e-6);
  }

  @Test
  void yolov8ChannelMajorOutputHasNoObjectness() {
    int classes = 2;
    int n = 10; // [1, 4 + C, N] with 4 + C < N -> auto picks v8
    float[] p = new float[(4 + classes) * n];
    // anchor 7: centre (30, 40), 10x6, class 1 = 0.65
    p[0 * n + 7] = 30;
    p[1 * n + 7] = 40;
    p[2 * n + 7] = 10;
    p[3 * n + 7] = 6;
    p[4 * n + 7] = 0.1f;
    p[5 * n + 7] = 0.65f;
    // anchor 2: class 0 = 0.2, below threshold
    p[4 * n + 2] = 0.2f;
    ModelOutputs out = ModelOutputs.of(List.of("output0"), List.of(new long[] {1, 4 + classes, n}), List.of(p));
    Candidates c = new Candidates(0);
    new YoloDecoder(YoloDecoder.Format.AUTO, classes).decode(out, 0.25f, c);
    assertEquals(1, c.size());
    assertEquals(25, c.x1(0), 1e-5);
    assertEquals(43, c.y2(0), 1e-5);
    assertEquals(1, c.classId(0));
    assertEquals(0.65f, c.score(0), 1e-6);
  }

  @Test
  void classCountMismatchNamesTheOutput() {
    ModelOutputs out = ModelOutputs.of(List.of("output0"), List.of(new long[] {1, 2, 10}), List.of(new float[20]));
    VisionException e = assertThrows(VisionException.class, () -> new YoloDecoder(YoloDecoder.Format.YOLOV5, 80).decode(out, 0.5f, new Candidates(0)));
    assertTrue(e.getMessage().contains("output0"), e.getMessage());
  }

  private static void set(float[] p, int row, int dim, float... v) {
    System.arraycopy(v, 0, p, row * dim, v.length);
  }
}
