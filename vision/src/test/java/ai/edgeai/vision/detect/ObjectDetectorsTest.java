package ai.edgeai.vision.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.Detection;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.image.Frame;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** YOLOX-nano, NanoDet-m and PicoDet-S on the usual sanity images. */
class ObjectDetectorsTest {
  static Detector yolox;
  static Detector nanodet;
  static Detector picodet;
  static Frame bus;
  static List<Detection> yoloxOnBus;

  @BeforeAll
  static void open() {
    var cat = VisionTestData.catalog();
    yolox = Detector.open(cat.resolve("yolox-nano"), VisionTestData.sessionConfig());
    nanodet = Detector.open(cat.resolve("nanodet-m"), VisionTestData.sessionConfig());
    picodet = Detector.open(cat.resolve("picodet-s"), VisionTestData.sessionConfig());
    bus = VisionTestData.image("bus.jpg");
    yoloxOnBus = yolox.detect(bus);
  }

  @AfterAll
  static void close() {
    yolox.close();
    nanodet.close();
    picodet.close();
  }

  private static Map<String, Integer> counts(List<Detection> ds) {
    Map<String, Integer> m = new TreeMap<>();
    ds.forEach(d -> m.merge(d.label(), 1, Integer::sum));
    return m;
  }

  @Test
  void yoloxFindsBusAndPeople() {
    Map<String, Integer> c = counts(yoloxOnBus);
    assertEquals(1, c.getOrDefault("bus", 0), c::toString);
    assertTrue(c.getOrDefault("person", 0) >= 3, c::toString);
  }

  @Test
  void yoloxFindsTwoPersonsAndATieOnZidane() {
    Map<String, Integer> c = counts(yolox.detect(VisionTestData.image("zidane.jpg")));
    assertEquals(2, c.getOrDefault("person", 0), c::toString);
    assertTrue(c.getOrDefault("tie", 0) >= 1, c::toString);
  }

  @Test
  void yoloxFindsDogBicycleAndCar() {
    Map<String, Integer> c = counts(yolox.detect(VisionTestData.image("dog.jpg")));
    assertTrue(c.containsKey("dog") && c.containsKey("bicycle") && c.containsKey("car"), c::toString);
  }

  @Test
  void nanodetAgreesWithYoloxOnBus() {
    assertAgreesWithYolox(nanodet.detect(bus), "nanodet-m");
  }

  @Test
  void picodetAgreesWithYoloxOnBus() {
    assertAgreesWithYolox(picodet.detect(bus), "picodet-s");
  }

  private static void assertAgreesWithYolox(List<Detection> ds, String model) {
    List<Detection> wanted = ds.stream().filter(d -> d.label().equals("bus") || d.label().equals("person")).toList();
    Map<String, Integer> c = counts(wanted);
    assertEquals(1, c.getOrDefault("bus", 0), model + " " + c);
    assertTrue(c.getOrDefault("person", 0) >= 3, model + " " + c);
    for (Detection d : wanted) {
      double best = yoloxOnBus.stream().filter(y -> y.label().equals(d.label())).mapToDouble(y -> y.box().iou(d.box())).max().orElse(0);
      assertTrue(best >= 0.5, model + " " + d.label() + " " + d.box() + " best IoU with YOLOX " + best);
    }
  }

  @Test
  void lowerThresholdGivesMoreDetectionsAndScoresAreSorted() {
    List<Detection> strict = yolox.detect(bus, 0.6);
    List<Detection> loose = yolox.detect(bus, 0.1);
    assertTrue(loose.size() > strict.size(), strict.size() + " vs " + loose.size());
    for (int i = 1; i < loose.size(); i++) assertTrue(loose.get(i - 1).score() >= loose.get(i).score());
    assertTrue(strict.stream().allMatch(d -> d.score() >= 0.6));
  }
}
