package ai.edgeai.vision.tracking.multicam;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic two-camera scene with test-supplied appearance embeddings (documented in
 * docs/tracking.md, "Multi-camera test scene"). Travellers cross camera A, walk out of view for
 * 3–8 s and cross camera B in the mirrored direction at 0.6× the scale; distractors are seen by one
 * camera only. 10 frames per second.
 *
 * <p>Embeddings stand in for a re-id network (OSNet) on real crops: each person has a random unit
 * vector; an observation is normalise(person + view(person, camera) + cast(camera) + noise), where
 * view is a fixed random offset of norm 0.6 per person and camera (pose, scale, mirroring), cast a
 * fixed offset of norm 0.3 per camera (colour/white balance), and noise N(0, 0.3²/d) per
 * component. With probability 0.15 a frame is occluded: the vector is mixed half-and-half with the
 * vector of another random person. The ground-truth identity travels in {@code subLabel}.
 */
final class TwoCameraScene {

  static final double FPS = 10;
  static final int DIM = 128;

  record Walk(String camera, double start, double duration, boolean leftToRight, double scale, double y) {}

  record Person(String name, boolean traveller, float[] base, List<Walk> walks) {}

  final List<Person> people = new ArrayList<>();
  final int frames;
  private final SplittableRandom rnd;
  private final float[] castA;
  private final float[] castB;
  private final java.util.Map<String, float[]> views = new java.util.HashMap<>();

  TwoCameraScene(long seed, int travellers, int distractorsPerCamera) {
    rnd = new SplittableRandom(seed);
    castA = scaled(randomUnit(), 0.3);
    castB = scaled(randomUnit(), 0.3);
    double end = 0;
    for (int i = 0; i < travellers; i++) {
      double startA = rnd.nextDouble() * 40;
      double durA = 4 + rnd.nextDouble() * 4;
      double startB = startA + durA + 3 + rnd.nextDouble() * 5;
      double durB = 4 + rnd.nextDouble() * 4;
      boolean ltr = rnd.nextBoolean();
      List<Walk> w = List.of(
          new Walk("A", startA, durA, ltr, 1.0, 200 + rnd.nextDouble() * 250),
          new Walk("B", startB, durB, !ltr, 0.6, 250 + rnd.nextDouble() * 250));
      people.add(new Person("traveller" + i, true, randomUnit(), w));
      end = Math.max(end, startB + durB);
    }
    for (String cam : new String[] {"A", "B"}) {
      for (int i = 0; i < distractorsPerCamera; i++) {
        double start = rnd.nextDouble() * 50;
        double dur = 4 + rnd.nextDouble() * 4;
        people.add(new Person("distractor" + cam + i, false, randomUnit(),
            List.of(new Walk(cam, start, dur, rnd.nextBoolean(), cam.equals("A") ? 1.0 : 0.6, 200 + rnd.nextDouble() * 250))));
        end = Math.max(end, start + dur);
      }
    }
    frames = (int) Math.ceil(end * FPS) + 10;
  }

  /** The detections of one camera in frame f (time f / FPS). */
  List<Detection> detections(String camera, int f) {
    double t = f / FPS;
    List<Detection> out = new ArrayList<>();
    for (Person p : people) {
      for (Walk w : p.walks()) {
        if (!w.camera().equals(camera) || t < w.start() || t > w.start() + w.duration()) continue;
        double u = (t - w.start()) / w.duration();
        double x = w.leftToRight() ? u : 1 - u;
        double bw = 80 * w.scale(), bh = 200 * w.scale();
        double cx = 40 + x * 1200 + gauss() * 2;
        double cy = w.y() + gauss() * 2;
        BoundingBox box = new BoundingBox(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2);
        out.add(Detection.of("person", 0, 0.9, box).withIdentity(p.name(), Double.NaN).withEmbedding(observe(p, camera)));
      }
    }
    return out;
  }

  private float[] observe(Person p, String camera) {
    float[] view = views.computeIfAbsent(p.name() + "/" + camera, k -> scaled(randomUnit(), 0.6));
    float[] cast = camera.equals("A") ? castA : castB;
    double sigma = 0.3 / Math.sqrt(DIM);
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) v[i] = (float) (p.base()[i] + view[i] + cast[i] + gauss() * sigma);
    if (rnd.nextDouble() < 0.15) {
      float[] other = people.get(rnd.nextInt(people.size())).base();
      for (int i = 0; i < DIM; i++) v[i] = 0.5f * v[i] + 0.5f * other[i];
    }
    return v;
  }

  private float[] randomUnit() {
    float[] v = new float[DIM];
    double n = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) gauss();
      n += v[i] * v[i];
    }
    n = Math.sqrt(n);
    for (int i = 0; i < DIM; i++) v[i] /= (float) n;
    return v;
  }

  private static float[] scaled(float[] v, double s) {
    float[] o = new float[v.length];
    for (int i = 0; i < v.length; i++) o[i] = (float) (v[i] * s);
    return o;
  }

  private double gauss() {
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
