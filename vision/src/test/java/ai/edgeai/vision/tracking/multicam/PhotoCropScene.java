package ai.edgeai.vision.tracking.multicam;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.image.Frame;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A synthetic two-camera scene made of real people: YOLOX-nano finds the people in the test
 * photos, and their crops walk across two rendered 640×360 views (documented in
 * docs/tracking.md, "Multi-camera test scene with real crops"). 5 frames per second.
 *
 * <ul>
 *   <li>Camera A: people {@value #HEIGHT_A} px tall, as photographed, walking left→right or
 *       right→left at a depth (foot line) of 250–355 px; nearer people are drawn over farther ones.
 *   <li>Camera B, the other view: 0.6× the scale, mirrored, a colour cast (red ×0.8, blue ×1.2,
 *       overall ×0.9), walking the other way, partly hidden by a pillar (x 250–290) and by a
 *       counter covering the lower body on the right half.
 *   <li>Travellers cross A, are out of view 2–5 s, then cross B; distractors cross one camera only.
 * </ul>
 *
 * The detections are the rendered boxes (clipped to the frame, jittered by N(0, 2 px)); the
 * ground-truth identity travels in {@code subLabel}. The pixels, hence the re-id embeddings, show
 * every change above.
 */
final class PhotoCropScene {

  static final double FPS = 5;
  static final int WIDTH = 640, HEIGHT = 360;
  static final int HEIGHT_A = 210;
  static final double SCALE_B = 0.6;
  /** Photos whose people are the identities; fr_biden/fr_obama* are left out: they show the same two people as fr_two_people. */
  static final List<String> PHOTOS = List.of("bus.jpg", "zidane.jpg", "fr_two_people.jpg", "person.jpg",
      "ultraface_1.jpg", "ultraface_2.jpg", "ultraface_13.jpg", "ultraface_19.jpg");

  /** A person whose box is covered more than this by another person's box is left out. */
  static final double MAX_OVERLAP = 0.2;

  record Crop(String name, BufferedImage image) {}

  record Walk(String camera, double start, double duration, boolean leftToRight, double footY) {}

  record Person(String name, boolean traveller, Crop crop, List<Walk> walks) {}

  /** A rendered frame and what a detector would report on it. */
  record View(Frame frame, List<Detection> detections) {}

  final List<Person> people = new ArrayList<>();
  final int frames;
  private final SplittableRandom rnd;

  /** The people YOLOX-nano finds in {@link #PHOTOS} (score ≥ 0.5, at least 100 px tall). */
  static List<Crop> peopleInPhotos(Detector yolox) {
    List<Crop> crops = new ArrayList<>();
    for (String photo : PHOTOS) {
      BufferedImage img;
      try {
        img = ImageIO.read(VisionTestData.imagePath(photo).toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<Detection> people = yolox.detect(Frame.of(img)).stream()
          .filter(d -> d.label().equals("person") && d.score() >= 0.5 && d.box().height() >= 100)
          .sorted(Comparator.comparingDouble(d -> d.box().x1())).toList();
      int i = 0;
      for (Detection d : people) {
        BoundingBox b = d.box();
        double covered = 0;
        for (Detection o : people) if (o != d) covered = Math.max(covered, intersection(b, o.box()) / b.area());
        i++;
        if (covered > MAX_OVERLAP) continue; // the crop would show a second person
        int x1 = (int) Math.max(0, b.x1()), y1 = (int) Math.max(0, b.y1());
        int x2 = (int) Math.min(img.getWidth(), b.x2()), y2 = (int) Math.min(img.getHeight(), b.y2());
        crops.add(new Crop(photo.replace(".jpg", "") + "#" + (i - 1), copy(img.getSubimage(x1, y1, x2 - x1, y2 - y1))));
      }
    }
    return crops;
  }

  PhotoCropScene(long seed, List<Crop> crops, int travellers, int distractorsPerCamera) {
    if (crops.size() < travellers + 2 * distractorsPerCamera) {
      throw new IllegalArgumentException("only " + crops.size() + " people in the photos");
    }
    rnd = new SplittableRandom(seed);
    List<Crop> pool = new ArrayList<>(crops);
    for (int i = pool.size() - 1; i > 0; i--) java.util.Collections.swap(pool, i, rnd.nextInt(i + 1));
    double end = 0;
    int next = 0;
    for (int i = 0; i < travellers; i++) {
      Crop c = pool.get(next++);
      List<Walk> walks;
      do {
        double startA = rnd.nextDouble() * 30;
        double durA = 4 + rnd.nextDouble() * 2;
        double startB = startA + durA + 2 + rnd.nextDouble() * 3;
        double durB = 4 + rnd.nextDouble() * 2;
        boolean ltr = rnd.nextBoolean();
        walks = List.of(new Walk("A", startA, durA, ltr, 250 + rnd.nextDouble() * 105),
            new Walk("B", startB, durB, !ltr, 300 + rnd.nextDouble() * 55));
      } while (!doorsFree(walks));
      people.add(new Person(c.name(), true, c, walks));
      end = Math.max(end, walks.get(1).start() + walks.get(1).duration());
    }
    for (String cam : new String[] {"A", "B"}) {
      for (int i = 0; i < distractorsPerCamera; i++) {
        Crop c = pool.get(next++);
        List<Walk> walks;
        do {
          double start = rnd.nextDouble() * 35;
          double dur = 4 + rnd.nextDouble() * 2;
          double foot = cam.equals("A") ? 250 + rnd.nextDouble() * 105 : 300 + rnd.nextDouble() * 55;
          walks = List.of(new Walk(cam, start, dur, rnd.nextBoolean(), foot));
        } while (!doorsFree(walks));
        people.add(new Person(c.name(), false, c, walks));
        end = Math.max(end, walks.get(0).start() + walks.get(0).duration());
      }
    }
    frames = (int) Math.ceil(end * FPS) + 5;
  }

  /**
   * Nobody enters through a door (frame edge) within {@value #DOOR_GAP} s of someone else entering
   * or leaving through it: a person stepping out exactly where another steps in is a hand-off
   * that per-camera tracking cannot tell apart, and this scene is about cross-camera identities.
   */
  private boolean doorsFree(List<Walk> walks) {
    for (Walk w : walks) {
      for (Person p : people) {
        for (Walk o : p.walks()) {
          if (!o.camera().equals(w.camera())) continue;
          if (Math.abs(w.start() - o.start()) < DOOR_GAP && w.leftToRight() == o.leftToRight()) return false;
          double wEnd = w.start() + w.duration(), oEnd = o.start() + o.duration();
          if (Math.abs(wEnd - oEnd) < DOOR_GAP && w.leftToRight() == o.leftToRight()) return false;
          // one leaves through the door the other comes in by
          if (Math.abs(w.start() - oEnd) < DOOR_GAP && w.leftToRight() != o.leftToRight()) return false;
          if (Math.abs(wEnd - o.start()) < DOOR_GAP && w.leftToRight() != o.leftToRight()) return false;
        }
      }
    }
    return true;
  }

  static final double DOOR_GAP = 1.5;

  private record Placed(Person person, int x, int y, int w, int h, double foot) {}

  /** Camera {@code camera} at frame {@code f} (time f / FPS). */
  View render(String camera, int f) {
    double t = f / FPS;
    boolean b = camera.equals("B");
    List<Placed> placed = new ArrayList<>();
    for (Person p : people) {
      for (Walk w : p.walks()) {
        if (!w.camera().equals(camera) || t < w.start() || t > w.start() + w.duration()) continue;
        double u = (t - w.start()) / w.duration();
        double x = w.leftToRight() ? u : 1 - u;
        BufferedImage img = p.crop().image();
        int h = (int) Math.round(HEIGHT_A * (b ? SCALE_B : 1));
        int width = (int) Math.round(h * img.getWidth() / (double) img.getHeight());
        int cx = (int) Math.round(width / 2.0 + x * (WIDTH - width)); // from door to door, whole
        placed.add(new Placed(p, cx - width / 2, (int) Math.round(w.footY()) - h, width, h, w.footY()));
      }
    }
    placed.sort(Comparator.comparingDouble(Placed::foot)); // farther (higher) people first
    BufferedImage canvas = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = canvas.createGraphics();
    g.setColor(b ? new Color(120, 112, 100) : new Color(105, 110, 118));
    g.fillRect(0, 0, WIDTH, HEIGHT);
    for (Placed p : placed) g.drawImage(scaled(p.person(), b, p.w(), p.h()), p.x(), p.y(), null);
    if (b) {
      g.setColor(new Color(70, 70, 75));
      g.fillRect(250, 0, 40, HEIGHT); // pillar
      g.setColor(new Color(150, 120, 90));
      g.fillRect(400, 300, WIDTH - 400, HEIGHT - 300); // counter hiding the lower body
    }
    g.dispose();
    if (b) colourCast(canvas);
    List<Detection> out = new ArrayList<>();
    for (Placed p : placed) {
      double x1 = Math.max(0, p.x() + gauss() * 2), y1 = Math.max(0, p.y() + gauss() * 2);
      double x2 = Math.min(WIDTH, p.x() + p.w() + gauss() * 2), y2 = Math.min(HEIGHT, p.y() + p.h() + gauss() * 2);
      if (x2 - x1 < 0.5 * p.w() || y2 - y1 < 0.5 * p.h()) continue; // mostly outside the frame: not detected
      out.add(Detection.of("person", 0, 0.9, new BoundingBox(x1, y1, x2, y2)).withIdentity(p.person().name(), Double.NaN));
    }
    return new View(Frame.of(canvas), out);
  }

  private final java.util.Map<String, BufferedImage> scaledCrops = new java.util.HashMap<>();

  /** The person's crop at its size in a camera (mirrored in B), scaled once with bilinear filtering. */
  private BufferedImage scaled(Person p, boolean b, int w, int h) {
    return scaledCrops.computeIfAbsent(p.name() + (b ? "/B" : "/A"), k -> {
      BufferedImage img = p.crop().image();
      BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = out.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      if (b) g.drawImage(img, w, 0, 0, h, 0, 0, img.getWidth(), img.getHeight(), null); // mirrored
      else g.drawImage(img, 0, 0, w, h, null);
      g.dispose();
      return out;
    });
  }

  /** Camera B's white balance: red ×0.85, blue ×1.1, everything ×0.9. */
  private static void colourCast(BufferedImage img) {
    byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i + 2 < bgr.length; i += 3) {
      bgr[i] = (byte) Math.min(255, (int) ((bgr[i] & 255) * 1.1 * 0.9));
      bgr[i + 1] = (byte) (int) ((bgr[i + 1] & 255) * 0.9);
      bgr[i + 2] = (byte) (int) ((bgr[i + 2] & 255) * 0.85 * 0.9);
    }
  }

  private static double intersection(BoundingBox a, BoundingBox b) {
    double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
    double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
    return w > 0 && h > 0 ? w * h : 0;
  }

  private static BufferedImage copy(BufferedImage src) {
    BufferedImage c = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = c.createGraphics();
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return c;
  }

  private double gauss() {
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
