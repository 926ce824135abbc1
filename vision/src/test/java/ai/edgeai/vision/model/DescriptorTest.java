package ai.edgeai.vision.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.VisionTestData;
import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.image.ColorOrder;
import ai.edgeai.vision.image.PadCorner;
import ai.edgeai.vision.image.ResizeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorTest {
  @TempDir Path tmp;

  private static final String YOLOX = """
      name: my-yolox
      task: detection
      file: %s
      input: {name: images, width: 416, height: 416, color: BGR, resize: letterbox, pad_value: 114, pad_corner: top-left}
      outputs: {output: [1, 3549, 85]}
      decoder: {type: yolox, strides: [8, 16, 32]}
      thresholds: {score: 0.3, nms: 0.45}
      labels: coco
      """;

  @Test
  void everyBuiltInDescriptorParsesAndFindsItsModel() {
    ModelCatalog cat = VisionTestData.catalog();
    List<String> names = ModelCatalog.builtinNames();
    assertTrue(names.containsAll(List.of("ultraface-320", "ultraface-640", "ultraface-slim-320", "yunet", "yolox-nano",
        "nanodet-m", "picodet-s", "osnet", "mobilefacenet")), names::toString);
    for (String n : names) {
      ModelDescriptor d = cat.resolve(n);
      assertEquals(n, d.name());
      assertTrue(Files.isRegularFile(d.model()), n + " -> " + d.model());
    }
    ModelDescriptor y = cat.resolve("yolox-nano");
    assertEquals(ResizeMode.LETTERBOX, y.input().preprocess().resize());
    assertEquals(PadCorner.TOP_LEFT, y.input().preprocess().padCorner());
    assertEquals(114f, y.input().preprocess().padValue());
    assertEquals(ColorOrder.BGR, y.input().preprocess().color());
    assertEquals(80, y.labels().size());
    assertEquals("person", y.label(0));
  }

  @Test
  void userDescriptorInModelsFolderIsFoundByNameAndParsesJsonToo() throws Exception {
    Path model = VisionTestData.shippedModels().resolve("yolox/yolox_nano.onnx");
    Files.writeString(tmp.resolve("mine.yaml"), YOLOX.formatted(model));
    ModelDescriptor d = new ModelCatalog(List.of(tmp)).resolve("mine");
    assertEquals("my-yolox", d.name());
    assertEquals(model, d.model());
    Files.writeString(tmp.resolve("j.json"), """
        {"name": "j", "task": "face-detection", "file": "x.onnx", "input": {"name": "input", "width": 320, "height": 240, "mean": 127, "std": 128},
         "decoder": {"type": "ultraface"}, "labels": ["face"]}""");
    ModelDescriptor j = new ModelCatalog(List.of(tmp)).resolve("j");
    assertEquals(tmp.resolve("x.onnx"), j.model());
    assertEquals(ResizeMode.STRETCH, j.input().preprocess().resize());
  }

  @Test
  void onnxPathWithoutDescriptorFallsBackToTheBuiltInThatNamesIt() {
    Path model = VisionTestData.shippedModels().resolve("ultraface/version-RFB-320.onnx");
    assertEquals("ultraface-320", VisionTestData.catalog().resolve(model.toString()).name());
  }

  @Test
  void typosAndMissingFieldsNameTheField() throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, YOLOX.formatted("m.onnx").replace("pad_value", "pad_valu"));
    VisionException e = assertThrows(VisionException.class, () -> DescriptorParser.parseFile(f));
    assertTrue(e.getMessage().contains("input.pad_valu") && e.getMessage().contains(f.toString()), e.getMessage());
    Files.writeString(f, YOLOX.formatted("m.onnx").replace("width: 416, ", ""));
    e = assertThrows(VisionException.class, () -> DescriptorParser.parseFile(f));
    assertTrue(e.getMessage().contains("'input.width'"), e.getMessage());
    Files.writeString(f, YOLOX.formatted("m.onnx").replace("resize: letterbox", "resize: squash"));
    e = assertThrows(VisionException.class, () -> DescriptorParser.parseFile(f));
    assertTrue(e.getMessage().contains("'input.resize'") && e.getMessage().contains("squash"), e.getMessage());
    Files.writeString(f, "name: [unclosed");
    e = assertThrows(VisionException.class, () -> DescriptorParser.parseFile(f));
    assertTrue(e.getMessage().startsWith("descriptor " + f + " is not valid YAML/JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void missingModelIsAClearError() {
    VisionException e = assertThrows(VisionException.class, () -> VisionTestData.catalog().resolve("no-such-model"));
    assertTrue(e.getMessage().startsWith("unknown model 'no-such-model'"), e.getMessage());
    e = assertThrows(VisionException.class, () -> VisionTestData.catalog().resolve(tmp.resolve("gone.onnx").toString()));
    assertEquals("model file not found: " + tmp.resolve("gone.onnx"), e.getMessage());
    // a built-in descriptor whose file is in no models folder
    ModelDescriptor d = new ModelCatalog(List.of(tmp)).resolve("yolox-nano");
    e = assertThrows(VisionException.class, () -> Detector.open(d, VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().startsWith("model file not found: " + tmp.resolve("yolox/yolox_nano.onnx")), e.getMessage());
  }

  @Test
  void descriptorThatDoesNotMatchTheModelNamesTensorAndShape() throws Exception {
    Path ultraface = VisionTestData.shippedModels().resolve("ultraface/version-RFB-320.onnx");
    Path f = tmp.resolve("wrong.yaml");
    Files.writeString(f, YOLOX.formatted(ultraface));
    VisionException e = assertThrows(VisionException.class, () -> Detector.open(DescriptorParser.parseFile(f), VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().contains("input 'images' not found") && e.getMessage().contains("input [1, 3, 240, 320]"), e.getMessage());

    Files.writeString(f, YOLOX.formatted(ultraface).replace("name: images", "name: input"));
    e = assertThrows(VisionException.class, () -> Detector.open(DescriptorParser.parseFile(f), VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().contains("input 'input' has shape [1, 3, 240, 320], descriptor expects [1, 3, 416, 416]"), e.getMessage());

    Files.writeString(f, YOLOX.formatted(ultraface).replace("name: images", "name: input").replace("width: 416, height: 416", "width: 320, height: 240"));
    e = assertThrows(VisionException.class, () -> Detector.open(DescriptorParser.parseFile(f), VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().contains("output 'output' not found") && e.getMessage().contains("scores [1, 4420, 2]"), e.getMessage());

    Files.writeString(f, YOLOX.formatted(ultraface).replace("name: images", "name: input").replace("width: 416, height: 416", "width: 320, height: 240")
        .replace("outputs: {output: [1, 3549, 85]}", "outputs: {boxes: [1, 4420, 2]}"));
    e = assertThrows(VisionException.class, () -> Detector.open(DescriptorParser.parseFile(f), VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().contains("output 'boxes' has shape [1, 4420, 4], descriptor expects [1, 4420, 2]"), e.getMessage());

    // no declared outputs: the decoder's own check names the tensor
    Files.writeString(f, YOLOX.formatted(ultraface).replace("name: images", "name: input").replace("width: 416, height: 416", "width: 320, height: 240")
        .replace("outputs: {output: [1, 3549, 85]}\n", ""));
    e = assertThrows(VisionException.class, () -> Detector.open(DescriptorParser.parseFile(f), VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().contains("yolox decoder") && e.getMessage().contains("scores [1, 4420, 2]"), e.getMessage());
  }

  @Test
  void notAnOnnxFileIsAClearError() throws Exception {
    Path fake = tmp.resolve("fake.onnx");
    Files.writeString(fake, "not a model");
    Files.writeString(tmp.resolve("fake.yaml"), YOLOX.formatted("fake.onnx"));
    ModelDescriptor d = VisionTestData.catalog().resolve(fake.toString());
    VisionException e = assertThrows(VisionException.class, () -> Detector.open(d, VisionTestData.sessionConfig()));
    assertTrue(e.getMessage().startsWith("cannot load ONNX model " + fake), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
