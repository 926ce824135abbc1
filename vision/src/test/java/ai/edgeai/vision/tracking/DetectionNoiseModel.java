package ai.edgeai.vision.tracking;

import ai.edgeai.vision.tracking.mot.MotRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns MOT17 ground truth into a plausible detector output, deterministically for a seed
 * (documented in docs/tracking.md, "Detection-noise model"). Only pedestrians (class 1, flag 1)
 * are detected:
 *
 * <ul>
 *   <li>miss: each box is dropped with probability {@code missRate};
 *   <li>jitter: the centre moves by N(0, (jitter·w)²) and N(0, (jitter·h)²), width and height are
 *       scaled by exp(N(0, jitter²)) each;
 *   <li>score: a kept box is "low" (score U[0.1, 0.5)) with probability lowBase + lowOcclusion·(1 −
 *       visibility), since occluded people are the ones detectors are unsure about; otherwise
 *       "high" (U[0.5, 1.0));
 *   <li>false positives: per frame, Binomial(fpTrials, fpRate) boxes at uniform positions in the
 *       image with the size of a random ground-truth box of the frame (60×150 when none), scoring
 *       low with probability fpLowShare, else U[0.5, 0.8).
 * </ul>
 */
public record DetectionNoiseModel(long seed, double missRate, double jitter, double lowBase, double lowOcclusion,
    int fpTrials, double fpRate, double fpLowShare) {

  /** The settings the MOT17 comparison uses. */
  public static DetectionNoiseModel standard(long seed) {
    return new DetectionNoiseModel(seed, 0.05, 0.05, 0.05, 0.40, 10, 0.2, 0.8);
  }

  public List<MotRecord> apply(List<MotRecord> gt, int frames, int imWidth, int imHeight) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<List<MotRecord>> byFrame = new ArrayList<>();
    for (int f = 0; f < frames; f++) byFrame.add(new ArrayList<>());
    for (MotRecord r : gt) if (r.frame() <= frames && r.classId() == 1 && r.conf() != 0) byFrame.get(r.frame() - 1).add(r);
    List<MotRecord> out = new ArrayList<>();
    for (int f = 1; f <= frames; f++) {
      List<MotRecord> people = byFrame.get(f - 1);
      for (MotRecord r : people) {
        if (rnd.nextDouble() < missRate) continue;
        double w = r.width() * Math.exp(gauss(rnd) * jitter);
        double h = r.height() * Math.exp(gauss(rnd) * jitter);
        double cx = r.left() + r.width() / 2 + gauss(rnd) * jitter * r.width();
        double cy = r.top() + r.height() / 2 + gauss(rnd) * jitter * r.height();
        double vis = r.visibility() >= 0 ? Math.min(1, r.visibility()) : 1;
        boolean low = rnd.nextDouble() < lowBase + lowOcclusion * (1 - vis);
        double score = low ? 0.1 + 0.4 * rnd.nextDouble() : 0.5 + 0.5 * rnd.nextDouble();
        out.add(new MotRecord(f, -1, cx - w / 2, cy - h / 2, w, h, score, -1, -1, 0));
      }
      int fps = 0;
      for (int k = 0; k < fpTrials; k++) if (rnd.nextDouble() < fpRate) fps++;
      for (int k = 0; k < fps; k++) {
        double w = 60, h = 150;
        if (!people.isEmpty()) {
          MotRecord like = people.get(rnd.nextInt(people.size()));
          w = like.width();
          h = like.height();
        }
        double x = rnd.nextDouble() * Math.max(1, imWidth - w);
        double y = rnd.nextDouble() * Math.max(1, imHeight - h);
        double score = rnd.nextDouble() < fpLowShare ? 0.1 + 0.4 * rnd.nextDouble() : 0.5 + 0.3 * rnd.nextDouble();
        out.add(new MotRecord(f, -1, x, y, w, h, score, -1, -1, 0));
      }
    }
    return out;
  }

  private static double gauss(SplittableRandom rnd) {
    // Box–Muller; SplittableRandom has no nextGaussian with a stable algorithm across JDKs.
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
