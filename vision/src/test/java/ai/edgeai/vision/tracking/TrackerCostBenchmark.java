package ai.edgeai.vision.tracking;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Per-frame cost of {@link KalmanTracker} with 100 moving objects (not a test; run its main):
 * {@code java -cp vision/target/classes:vision/target/test-classes ai.edgeai.vision.tracking.TrackerCostBenchmark}.
 * Objects move on a 10×10 grid of lanes in a 1920×1080 frame with 2 px box jitter, 5 % missed and
 * 20 % low-score detections, and 3 false positives per frame.
 */
public final class TrackerCostBenchmark {

  public static void main(String[] args) {
    for (String name : new String[] {"sort", "bytetrack", "bytetrack+appearance"}) {
      TrackerConfig cfg = name.startsWith("bytetrack") ? TrackerConfig.byteTrack() : TrackerConfig.sort();
      if (name.endsWith("appearance")) cfg = cfg.with(java.util.Map.of("appearanceWeight", "0.3"));
      measure(name, cfg, name.endsWith("appearance"));
    }
  }

  private static void measure(String name, TrackerConfig cfg, boolean embeddings) {
    int objects = 100, warmup = 3000, frames = 20000;
    SplittableRandom rnd = new SplittableRandom(1);
    List<List<Detection>> seq = new ArrayList<>();
    float[][] looks = new float[objects][512];
    for (float[] l : looks) for (int i = 0; i < l.length; i++) l[i] = (float) rnd.nextDouble(-1, 1);
    for (int f = 0; f < 2000; f++) {
      List<Detection> d = new ArrayList<>();
      for (int o = 0; o < objects; o++) {
        if (rnd.nextDouble() < 0.05) continue;
        double x = 20 + (o % 10) * 190 + (f % 200) * 0.5 + rnd.nextDouble() * 2;
        double y = 20 + (o / 10) * 105 + rnd.nextDouble() * 2;
        double score = rnd.nextDouble() < 0.2 ? 0.3 : 0.9;
        Detection det = Detection.of("person", 0, score, new BoundingBox(x, y, x + 40, y + 90));
        d.add(embeddings ? det.withEmbedding(looks[o]) : det);
      }
      for (int k = 0; k < 3; k++) {
        double x = rnd.nextDouble() * 1800, y = rnd.nextDouble() * 1000;
        d.add(Detection.of("person", 0, 0.4, new BoundingBox(x, y, x + 40, y + 80)));
      }
      seq.add(d);
    }
    KalmanTracker t = new KalmanTracker(cfg);
    long sink = 0;
    for (int f = 0; f < warmup; f++) sink += t.update(f, seq.get(f % seq.size())).size();
    long start = System.nanoTime();
    for (int f = warmup; f < warmup + frames; f++) sink += t.update(f, seq.get(f % seq.size())).size();
    double us = (System.nanoTime() - start) / 1e3 / frames;
    System.out.printf(Locale.ROOT, "%-22s %d objects: %.1f µs per frame (%d tracks held, checksum %d)%n",
        name, objects, us, t.size(), sink);
  }
}
