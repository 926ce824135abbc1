package ai.edgeai.cli.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.CliRunner;
import ai.edgeai.cli.Main;
import ai.edgeai.cli.config.HostEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vision commands end to end on the repository's models and the vision module's fixtures. */
class VisionCliTest {
  static final Path IMAGES = Path.of("..", "vision", "src", "test", "resources", "vision", "images").toAbsolutePath().normalize();
  static final Path FIXTURE_MODELS = Path.of("..", "vision", "src", "test", "resources", "vision", "models").toAbsolutePath().normalize();
  static final Path MODELS = Path.of("..", "models").toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (!all.contains("--data-dir")) {
      all.addAll(List.of("--data-dir", tmp.resolve("data").toString()));
    }
    all.addAll(List.of("--models-dir", MODELS.toString(), "--models-dir", FIXTURE_MODELS.toString(), "--threads", "2"));
    int code = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void detectWritesJsonAndAnAnnotatedPng() throws Exception {
    Path png = tmp.resolve("bus.png");
    Run r = run("detect", IMAGES.resolve("bus.jpg").toString(), "--model", "yolox-nano", "--json", "--out", png.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(810, j.get("width").asInt());
    assertEquals(1080, j.get("height").asInt());
    int persons = 0, buses = 0;
    for (JsonNode d : j.get("detections")) {
      assertEquals(4, d.get("box").size());
      assertTrue(d.has("landmarks") && d.has("sub_label") && d.has("similarity"));
      if (d.get("label").asText().equals("person")) persons++;
      if (d.get("label").asText().equals("bus")) buses++;
    }
    assertEquals(1, buses);
    assertTrue(persons >= 3);
    var img = ImageIO.read(png.toFile());
    assertEquals(810, img.getWidth());
    assertEquals(1080, img.getHeight());
  }

  @Test
  void thresholdOptionFilters() throws Exception {
    Run r = run("detect", IMAGES.resolve("bus.jpg").toString(), "--model", "yolox-nano", "--json", "--threshold", "0.8");
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (JsonNode d : j.get("detections")) assertTrue(d.get("score").asDouble() >= 0.8);
    assertTrue(j.get("detections").size() >= 2);
  }

  @Test
  void folderRunSkipsABadFileAndCarriesOn() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.copy(IMAGES.resolve("fr_obama.jpg"), dir.resolve("a.jpg"));
    byte[] bus = Files.readAllBytes(IMAGES.resolve("bus.jpg"));
    Files.write(dir.resolve("b_truncated.jpg"), Arrays.copyOf(bus, 4000));
    Files.copy(IMAGES.resolve("fr_two_people.jpg"), dir.resolve("c.jpg"));
    Path out = tmp.resolve("annotated");
    Run r = run("detect", dir.toString(), "--model", "ultraface-320", "--json", "--out", out.toString());
    assertEquals(1, r.code());
    JsonNode arr = new ObjectMapper().readTree(r.out());
    assertEquals(2, arr.size());
    assertEquals(1, arr.get(0).get("detections").size());
    assertEquals(2, arr.get(1).get("detections").size());
    assertTrue(r.err().contains("b_truncated.jpg"), r.err());
    assertTrue(Files.exists(out.resolve("a.png")) && Files.exists(out.resolve("c.png")));
  }

  @Test
  void badInputsAreOneLineErrors() throws Exception {
    Run provider = run("detect", IMAGES.resolve("bus.jpg").toString(), "--model", "yolox-nano", "--provider", "gpu9000");
    assertEquals(2, provider.code());
    assertOneLine(provider.err(), "edgeai: error: unknown execution provider 'gpu9000'");

    Run model = run("detect", IMAGES.resolve("bus.jpg").toString(), "--model", "no-such-model");
    assertEquals(1, model.code());
    assertOneLine(model.err(), "edgeai: error: unknown model 'no-such-model'");

    Path cut = tmp.resolve("cut.jpg");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(IMAGES.resolve("bus.jpg")), 20000));
    Run image = run("detect", cut.toString(), "--model", "yolox-nano");
    assertEquals(1, image.code());
    assertOneLine(image.err(), "edgeai: error: corrupt or truncated image " + cut);

    Path wrong = tmp.resolve("wrong.yaml");
    Files.writeString(wrong, """
        name: wrong
        task: detection
        file: %s
        input: {name: images, width: 416, height: 416}
        decoder: {type: yolox}
        labels: coco
        """.formatted(MODELS.resolve("ultraface/version-RFB-320.onnx")));
    Run mismatch = run("detect", IMAGES.resolve("bus.jpg").toString(), "--model", wrong.toString());
    assertEquals(1, mismatch.code());
    assertOneLine(mismatch.err(), "edgeai: error: model version-RFB-320.onnx does not match descriptor " + wrong + ": input 'images' not found");
  }

  @Test
  void knownButUnavailableProviderWarnsAndRunsOnCpu() {
    Run r = run("detect", IMAGES.resolve("fr_obama.jpg").toString(), "--model", "ultraface-320", "--provider", "tensorrt");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().startsWith("edgeai: warning: execution provider 'tensorrt' is not in this ONNX Runtime build"), r.err());
    assertTrue(r.out().contains("1 detections"), r.out());
  }

  @Test
  void enrollIdentifyListRemove() throws Exception {
    assertEquals(0, run("faces", "enroll", "obama", IMAGES.resolve("fr_obama.jpg").toString()).code());
    Run enroll = run("faces", "enroll", "biden", IMAGES.resolve("fr_biden.jpg").toString());
    assertEquals(0, enroll.code(), enroll.err());
    Run list = run("faces", "list");
    assertEquals("biden\t1 embedding(s)\nobama\t1 embedding(s)\n", list.out().replace("\r", ""));

    Run r = run("detect", IMAGES.resolve("fr_two_people.jpg").toString(), "--model", "yunet", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode ds = new ObjectMapper().readTree(r.out()).get("detections");
    assertEquals(2, ds.size());
    JsonNode left = ds.get(0).get("box").get(0).asDouble() < ds.get(1).get("box").get(0).asDouble() ? ds.get(0) : ds.get(1);
    JsonNode right = left == ds.get(0) ? ds.get(1) : ds.get(0);
    assertEquals("obama", left.get("sub_label").asText());
    assertEquals("biden", right.get("sub_label").asText());
    assertEquals(5, left.get("landmarks").size());
    assertTrue(left.get("similarity").asDouble() >= 0.4);

    Run obama2 = run("detect", IMAGES.resolve("fr_obama2.jpg").toString(), "--model", "yunet", "--json");
    assertTrue(obama2.out().contains("\"sub_label\" : \"obama\""), obama2.out());

    assertEquals(0, run("faces", "remove", "biden").code());
    Run again = run("faces", "remove", "biden");
    assertEquals(1, again.code());
    assertOneLine(again.err(), "edgeai: error: no person named 'biden'");
    assertEquals("obama\t1 embedding(s)\n", run("faces", "list").out().replace("\r", ""));
  }

  @Test
  void benchReportsStagesAndRawLoop() {
    Run r = run("bench", "vision", "--model", "ultraface-320", "--image", IMAGES.resolve("fr_two_people.jpg").toString(), "--iterations", "6", "--warmup", "1", "--warmup-seconds", "0");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("frame 640x360") && r.out().contains("JPEG/PNG decode"), r.out());
    assertTrue(r.out().contains("pre-processing") && r.out().contains("post-processing") && r.out().contains("raw session.run loop"), r.out());
    assertTrue(r.out().contains("FPS"), r.out());
    assertTrue(r.out().contains("median of 6 A/B rounds of 1 frames"), r.out());
  }

  @Test
  void modelsDirOfTheConfigFileIsSearchedUnlessModelsDirIsGiven() throws IOException {
    HostEnvironment host = CliRunner.isolated(tmp);
    Path mine = Files.createDirectories(tmp.resolve("my-models"));
    // A user's own descriptor, found only through models.dir.
    String descriptor = new String(VisionCliTest.class.getResourceAsStream("/ai/edgeai/vision/models/ultraface-320.yaml").readAllBytes(), StandardCharsets.UTF_8)
        .replace("name: ultraface-320", "name: my-faces")
        .replace("file: ultraface/version-RFB-320.onnx", "file: " + MODELS.resolve("ultraface/version-RFB-320.onnx"));
    Files.writeString(mine.resolve("my-faces.yaml"), descriptor);
    Files.writeString(host.workingDir().resolve("edgeai.yaml"), "models:\n  dir: " + mine + "\n");
    String image = IMAGES.resolve("fr_obama.jpg").toString();
    String data = tmp.resolve("data").toString();

    CliRunner.Result found = CliRunner.run(host, "detect", image, "--model", "my-faces", "--json", "--data-dir", data, "--threads", "1");
    assertEquals(0, found.exit(), found.err());
    JsonNode detections = new ObjectMapper().readTree(found.out()).get("detections");
    assertEquals(1, detections.size(), found.out());
    assertEquals("face", detections.get(0).get("label").asText());

    CliRunner.Result overridden = CliRunner.run(host, "detect", image, "--model", "my-faces", "--data-dir", data,
        "--models-dir", Files.createDirectories(tmp.resolve("empty")).toString());
    assertEquals(1, overridden.exit());
    assertOneLine(overridden.err(), "edgeai: error: unknown model 'my-faces'");
  }

  private static void assertOneLine(String err, String prefix) {
    String e = err.replace("\r", "");
    assertTrue(e.startsWith(prefix), e);
    assertEquals(1, e.lines().count(), e);
  }
}
