package ai.edgeai.node.source;

import ai.edgeai.node.config.CameraConfig;
import java.util.Arrays;

/**
 * A synthetic camera: a grey scene where coloured boxes (red, green, blue) move, leave and come
 * back on a fixed schedule, so detection, tracking and events can run without any media. The
 * {@code testpattern} detector recognises the boxes by colour. Source syntax:
 * {@code testpattern} or {@code testpattern:objects=3,period=12} (period in seconds: each object
 * is visible for two thirds of it).
 */
public final class TestPatternSource extends RestartingSource {

  /** RGB colours of the pattern's objects, in object order. */
  public static final int[][] COLORS = {{220, 30, 30}, {30, 200, 30}, {30, 60, 220}};

  private final int objects;
  private final double period;

  public TestPatternSource(CameraConfig camera) {
    super(camera);
    int n = 2;
    double p = 12;
    String s = camera.source();
    int colon = s.indexOf(':');
    if (colon >= 0 && colon + 1 < s.length()) {
      for (String kv : s.substring(colon + 1).split(",")) {
        String[] parts = kv.split("=", 2);
        try {
          switch (parts[0].strip()) {
            case "objects" -> n = Integer.parseInt(parts[1].strip());
            case "period" -> p = Double.parseDouble(parts[1].strip());
            default -> throw new IllegalArgumentException("unknown option '" + parts[0] + "'");
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("camera '" + camera.name() + "': source '" + s
              + "': expected testpattern:objects=N,period=SECONDS (" + e.getMessage() + ")");
        }
      }
    }
    if (n < 1 || n > COLORS.length || !(p >= 1)) {
      throw new IllegalArgumentException("camera '" + camera.name() + "': source '" + s + "': objects must be 1.." + COLORS.length + ", period >= 1");
    }
    this.objects = n;
    this.period = p;
  }

  @Override
  protected String runOnce() throws InterruptedException {
    long intervalNanos = (long) (1e9 / camera.fps());
    long next = System.nanoTime();
    double t0 = now();
    while (running) {
      long wait = next - System.nanoTime();
      if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      next += intervalNanos;
      dueNow();
      double t = now();
      deliver(render(nextIndex(), t, t - t0));
    }
    return null;
  }

  /** Draws the scene at {@code elapsed} seconds. */
  Frame render(long index, double time, double elapsed) {
    int w = camera.detect().width(), h = camera.detect().height();
    byte[] rgb = new byte[w * h * 3];
    Arrays.fill(rgb, (byte) 110);
    for (int i = 0; i < objects; i++) {
      double phase = (elapsed + i * period / objects) % period;
      if (phase > period * 2 / 3) continue; // off screen for the last third of its period
      double u = phase / (period * 2 / 3); // 0..1 across the frame
      int bw = w / 6, bh = h / 3;
      int x = (int) (u * (w - bw));
      int y = (int) ((0.1 + 0.25 * i) * (h - bh));
      fill(rgb, w, h, x, y, bw, bh, COLORS[i]);
    }
    return new Frame(camera.name(), index, time, w, h, rgb);
  }

  private static void fill(byte[] rgb, int w, int h, int x, int y, int bw, int bh, int[] c) {
    for (int yy = Math.max(0, y); yy < Math.min(h, y + bh); yy++) {
      for (int xx = Math.max(0, x); xx < Math.min(w, x + bw); xx++) {
        int o = (yy * w + xx) * 3;
        rgb[o] = (byte) c[0];
        rgb[o + 1] = (byte) c[1];
        rgb[o + 2] = (byte) c[2];
      }
    }
  }
}
