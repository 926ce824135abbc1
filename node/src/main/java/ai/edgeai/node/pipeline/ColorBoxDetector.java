package ai.edgeai.node.pipeline;

import ai.edgeai.node.source.Frame;
import ai.edgeai.node.source.TestPatternSource;
import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import java.util.ArrayList;
import java.util.List;

/**
 * Detects the {@link TestPatternSource}'s boxes by colour: red is a "person", green a "car", blue
 * a "dog". The score is the fraction of the box covered by the colour. It exists so the whole node
 * (tracking, events, MQTT, outbox) runs and is tested with no model; it detects nothing real.
 */
public final class ColorBoxDetector implements FrameDetector {

  public static final String[] LABELS = {"person", "car", "dog"};
  private static final int STEP = 2;
  private static final int TOLERANCE = 40;

  @Override
  public List<Detection> detect(Frame f) {
    int gw = f.width() / STEP, gh = f.height() / STEP;
    List<Detection> out = new ArrayList<>();
    for (int c = 0; c < TestPatternSource.COLORS.length; c++) {
      int[] col = TestPatternSource.COLORS[c];
      boolean[] mask = new boolean[gw * gh];
      for (int y = 0; y < gh; y++) {
        for (int x = 0; x < gw; x++) {
          int o = ((y * STEP) * f.width() + x * STEP) * 3;
          mask[y * gw + x] = Math.abs((f.rgb()[o] & 0xff) - col[0]) < TOLERANCE
              && Math.abs((f.rgb()[o + 1] & 0xff) - col[1]) < TOLERANCE
              && Math.abs((f.rgb()[o + 2] & 0xff) - col[2]) < TOLERANCE;
        }
      }
      components(mask, gw, gh, c, out);
    }
    return out;
  }

  private static void components(boolean[] mask, int gw, int gh, int classId, List<Detection> out) {
    int[] stack = new int[gw * gh];
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start]) continue;
      int sp = 0, count = 0;
      int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
      stack[sp++] = start;
      mask[start] = false;
      while (sp > 0) {
        int p = stack[--sp];
        int x = p % gw, y = p / gw;
        count++;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        if (x > 0 && mask[p - 1]) { mask[p - 1] = false; stack[sp++] = p - 1; }
        if (x < gw - 1 && mask[p + 1]) { mask[p + 1] = false; stack[sp++] = p + 1; }
        if (y > 0 && mask[p - gw]) { mask[p - gw] = false; stack[sp++] = p - gw; }
        if (y < gh - 1 && mask[p + gw]) { mask[p + gw] = false; stack[sp++] = p + gw; }
      }
      if (count < 16) continue; // specks
      double boxCells = (double) (maxX - minX + 1) * (maxY - minY + 1);
      double score = Math.min(1.0, count / boxCells) * 0.95;
      out.add(Detection.of(LABELS[classId], classId, score,
          new BoundingBox(minX * STEP, minY * STEP, (maxX + 1) * STEP, (maxY + 1) * STEP)));
    }
  }

  @Override
  public String describe() {
    return "testpattern (colour boxes of the synthetic camera; not a real model)";
  }
}
