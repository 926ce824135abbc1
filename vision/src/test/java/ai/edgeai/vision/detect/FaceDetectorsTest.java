package ai.edgeai.vision.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.image.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UltraFace and YuNet on the shared portraits (sessions shared across the class). */
class FaceDetectorsTest {
  static Detector ultraface;
  static Detector yunet;

  @BeforeAll
  static void open() {
    ultraface = Detector.open(VisionTestData.catalog().resolve("ultraface-320"), VisionTestData.sessionConfig());
    yunet = Detector.open(VisionTestData.catalog().resolve("yunet"), VisionTestData.sessionConfig());
  }

  @AfterAll
  static void close() {
    ultraface.close();
    yunet.close();
  }

  @Test
  void ultrafaceFindsTwoFacesSideBySide() {
    List<Detection> faces = ultraface.detect(VisionTestData.image("fr_two_people.jpg"));
    assertEquals(2, faces.size(), faces::toString);
    faces = faces.stream().sorted(Comparator.comparingDouble(d -> d.box().x1())).toList();
    assertTrue(faces.get(0).box().x2() < faces.get(1).box().x1(), "faces must not overlap: " + faces);
    assertTrue(faces.stream().allMatch(d -> d.label().equals("face") && d.score() >= 0.7));
  }

  @Test
  void ultrafaceFindsOneFaceInPortrait() {
    List<Detection> faces = ultraface.detect(VisionTestData.image("fr_obama.jpg"));
    assertEquals(1, faces.size(), faces::toString);
    // the face is in the upper middle of the 910x1137 portrait
    var b = faces.getFirst().box();
    assertTrue(b.centerX() > 300 && b.centerX() < 650 && b.centerY() < 500, b::toString);
  }

  @Test
  void ultrafaceFindsTheGroupPhotosFaces() {
    List<Detection> faces = ultraface.detect(VisionTestData.image("ultraface_1.jpg"));
    assertTrue(faces.size() >= 45, "found " + faces.size());
  }

  @Test
  void overlappedStreamGivesEachFramesDetectionsInOrder() throws InterruptedException {
    List<Frame> frames = Stream.of("fr_two_people.jpg", "fr_obama.jpg", "ultraface_1.jpg", "fr_two_people.jpg")
        .map(VisionTestData::image).toList();
    List<List<Detection>> expected = frames.stream().map(ultraface::detect).toList();
    List<Frame> seen = new ArrayList<>();
    List<List<Detection>> got = new ArrayList<>();
    ultraface.detectOverlapped(frames.iterator(), 0.7, (frame, found) -> {
      seen.add(frame);
      got.add(found);
    });
    assertEquals(frames, seen);
    assertEquals(expected, got);
  }

  @Test
  void overlappedStreamStopsAndRethrowsTheFirstFailure() {
    Frame frame = VisionTestData.image("fr_obama.jpg");
    int[] calls = new int[1];
    var e = assertThrows(IllegalStateException.class, () -> ultraface.detectOverlapped(
        java.util.Collections.nCopies(50, frame).iterator(), 0.7, (f, found) -> {
          calls[0]++;
          throw new IllegalStateException("sink failed");
        }));
    assertEquals("sink failed", e.getMessage());
    assertEquals(1, calls[0]);
  }

  @Test
  void yunetWithDynamicInputAt640x384AgreesWithTheFixedSizeModel() {
    try (Detector dynamic = Detector.open(VisionTestData.catalog().resolve("yunet-dynamic"), VisionTestData.sessionConfig())) {
      for (String photo : List.of("fr_two_people.jpg", "fr_obama.jpg")) {
        Frame frame = VisionTestData.image(photo);
        List<Detection> fixed = yunet.detect(frame);
        List<Detection> found = dynamic.detect(frame);
        assertEquals(fixed.size(), found.size(), photo + ": " + found);
        for (Detection d : found) {
          assertEquals(5, d.landmarks().size());
          double best = fixed.stream().mapToDouble(f -> f.box().iou(d.box())).max().orElse(0);
          assertTrue(best >= 0.7, photo + ": " + d.box() + " matches no 640x640 box (best IoU " + best + ")");
        }
      }
      assertEquals(2, dynamic.detect(VisionTestData.image("fr_two_people.jpg")).size());
    }
  }

  @Test
  void yunetFindsTwoFacesWithLandmarksInsideTheirBoxes() {
    List<Detection> faces = yunet.detect(VisionTestData.image("fr_two_people.jpg"));
    assertEquals(2, faces.size(), faces::toString);
    for (Detection d : faces) {
      assertEquals(5, d.landmarks().size());
      for (double[] p : d.landmarks()) {
        assertTrue(p[0] >= d.box().x1() && p[0] <= d.box().x2() && p[1] >= d.box().y1() && p[1] <= d.box().y2(),
            "landmark outside box: " + p[0] + "," + p[1] + " " + d.box());
      }
      // ArcFace order: the subject's right eye (image left) first, eyes above the mouth corners
      double[] rightEye = d.landmarks().get(0), leftEye = d.landmarks().get(1), nose = d.landmarks().get(2);
      assertTrue(rightEye[0] < leftEye[0], "eye order");
      assertTrue(nose[1] > rightEye[1] && d.landmarks().get(3)[1] > nose[1], "vertical order");
    }
  }

  @Test
  void yunetFindsOneFaceInPortraitAgreeingWithUltraface() {
    var frame = VisionTestData.image("fr_obama.jpg");
    List<Detection> faces = yunet.detect(frame);
    assertEquals(1, faces.size(), faces::toString);
    double iou = faces.getFirst().box().iou(ultraface.detect(frame).getFirst().box());
    assertTrue(iou > 0.6, "IoU with UltraFace " + iou);
  }
}
