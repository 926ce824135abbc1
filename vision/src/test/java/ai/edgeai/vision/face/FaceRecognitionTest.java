package ai.edgeai.vision.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.image.Frame;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enroll Obama and Biden from one portrait each, then recognise them in other photos. */
class FaceRecognitionTest {
  static Detector yunet;
  static FaceEmbedder embedder;
  @TempDir static Path data;
  static FaceGallery gallery;

  @BeforeAll
  static void enroll() {
    yunet = Detector.open(VisionTestData.catalog().resolve("yunet"), VisionTestData.sessionConfig());
    embedder = FaceEmbedder.open(VisionTestData.catalog().resolve("mobilefacenet"), VisionTestData.sessionConfig());
    gallery = FaceGallery.open(FaceGallery.fileIn(data));
    for (var e : Map.of("obama", "fr_obama.jpg", "biden", "fr_biden.jpg").entrySet()) {
      Frame f = VisionTestData.image(e.getValue());
      gallery.enroll(e.getKey(), List.of(embedder.embed(f, FaceRecognizer.largest(yunet.detect(f)))), embedder.descriptor().name());
    }
  }

  @AfterAll
  static void close() {
    yunet.close();
    embedder.close();
  }

  private static List<Detection> identify(String image) {
    Frame f = VisionTestData.image(image);
    FaceGallery reloaded = FaceGallery.open(FaceGallery.fileIn(data)); // what a later run sees
    return new FaceRecognizer(embedder, reloaded, FaceGallery.DEFAULT_THRESHOLD).identify(f, yunet.detect(f));
  }

  @Test
  void galleryPersistsPeople() {
    assertEquals(Map.of("biden", 1, "obama", 1), FaceGallery.open(FaceGallery.fileIn(data)).people());
    assertEquals("mobilefacenet", FaceGallery.open(FaceGallery.fileIn(data)).embedder());
  }

  @Test
  void otherPortraitsAreIdentified() {
    Detection obama = FaceRecognizer.largest(identify("fr_obama2.jpg"));
    assertEquals("obama", obama.subLabel(), obama::toString);
    assertTrue(obama.similarity() >= FaceGallery.DEFAULT_THRESHOLD);
    Detection biden = FaceRecognizer.largest(identify("fr_biden2.jpg"));
    assertEquals("biden", biden.subLabel());
  }

  @Test
  void twoPeopleLeftIsObamaRightIsBiden() {
    List<Detection> faces = identify("fr_two_people.jpg").stream().sorted(Comparator.comparingDouble(d -> d.box().x1())).toList();
    assertEquals(2, faces.size());
    assertEquals("obama", faces.get(0).subLabel());
    assertEquals("biden", faces.get(1).subLabel());
  }

  @Test
  void strangerStaysUnnamedAndRemoveWorks() {
    Path other = data.resolve("other.json");
    FaceGallery g = FaceGallery.open(other);
    Frame f = VisionTestData.image("fr_obama.jpg");
    float[] obama = embedder.embed(f, FaceRecognizer.largest(yunet.detect(f)));
    g.enroll("biden", List.of(embedOf("fr_biden.jpg")), "mobilefacenet");
    assertTrue(g.identify(obama, FaceGallery.DEFAULT_THRESHOLD).isEmpty(), "Obama must not match Biden");
    assertTrue(g.remove("biden"));
    assertTrue(g.isEmpty() && FaceGallery.open(other).isEmpty());
    VisionException e = assertThrows(VisionException.class, () -> {
      g.enroll("x", List.of(new float[128]), "mobilefacenet");
      g.enroll("y", List.of(new float[128]), "another-model");
    });
    assertTrue(e.getMessage().contains("another-model"), e.getMessage());
  }

  @Test
  void facesWithoutLandmarksCannotBeEmbedded() {
    Frame f = VisionTestData.image("fr_obama.jpg");
    Detection noLandmarks = Detection.of("face", 0, 0.9, yunet.detect(f).getFirst().box());
    VisionException e = assertThrows(VisionException.class, () -> embedder.embed(f, noLandmarks));
    assertTrue(e.getMessage().contains("5 landmarks"), e.getMessage());
  }

  private static float[] embedOf(String image) {
    Frame f = VisionTestData.image(image);
    return embedder.embed(f, FaceRecognizer.largest(yunet.detect(f)));
  }
}
