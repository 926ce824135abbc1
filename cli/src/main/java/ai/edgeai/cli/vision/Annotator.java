package ai.edgeai.cli.vision;

import ai.edgeai.vision.Detection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Draws boxes, labels with scores, landmarks and recognised names onto an image. */
final class Annotator {
  private static final Color[] LANDMARK_COLOURS = {Color.BLUE, Color.RED, Color.GREEN, Color.MAGENTA, Color.YELLOW};

  private Annotator() {}

  static void draw(BufferedImage image, List<Detection> detections) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int scale = Math.max(1, Math.max(image.getWidth(), image.getHeight()) / 600);
    g.setStroke(new BasicStroke(2f * scale));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12 * scale));
    for (Detection d : detections) {
      Color c = Color.getHSBColor((d.classId() * 0.618034f) % 1f, 0.85f, 0.95f);
      int x = (int) d.box().x1(), y = (int) d.box().y1();
      int w = (int) d.box().width(), h = (int) d.box().height();
      g.setColor(c);
      g.drawRect(x, y, w, h);
      String text = d.label() + String.format(Locale.ROOT, " %.2f", d.score());
      if (d.subLabel() != null) text = d.subLabel() + String.format(Locale.ROOT, " (%.2f) ", d.similarity()) + text;
      var fm = g.getFontMetrics();
      int ty = Math.max(fm.getAscent(), y - 2);
      g.fillRect(x, ty - fm.getAscent(), fm.stringWidth(text) + 4, fm.getHeight());
      g.setColor(Color.BLACK);
      g.drawString(text, x + 2, ty);
      int r = 2 * scale;
      for (int k = 0; k < d.landmarks().size(); k++) {
        double[] p = d.landmarks().get(k);
        g.setColor(LANDMARK_COLOURS[k % LANDMARK_COLOURS.length]);
        g.fillOval((int) p[0] - r, (int) p[1] - r, 2 * r, 2 * r);
      }
    }
    g.dispose();
  }
}
