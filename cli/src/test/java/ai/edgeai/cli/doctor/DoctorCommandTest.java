package ai.edgeai.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.BuildInfo;
import ai.edgeai.cli.CliRunner;
import ai.edgeai.cli.config.HostEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

  @TempDir Path tmp;

  /** The documented field names (docs/cli.md); changing them breaks scripts that read --json. */
  static final Set<String> TOP = Set.of("edgeaiVersion", "configFile", "elapsedMillis", "os",
      "cpu", "memory", "disk", "jvm", "vectorApi", "memoryBandwidth", "optional");
  static final Set<String> OS = Set.of("name", "version", "arch");
  static final Set<String> CPU =
      Set.of("model", "logicalCores", "physicalCores", "lastLevelCacheBytes", "simd");
  static final Set<String> MEMORY = Set.of("totalBytes", "availableBytes");
  static final Set<String> DISK =
      Set.of("modelsDir", "modelsDirExists", "measuredAt", "freeBytes", "totalBytes");
  static final Set<String> JVM = Set.of("vendor", "version", "vmName", "maxHeapBytes");
  static final Set<String> VECTOR = Set.of("present", "preferredBits", "floatLanes",
      "scalarNsPerElement", "vectorNsPerElement", "speedup", "verdict", "detail");
  static final Set<String> BANDWIDTH = Set.of("method", "bytesPerArray", "passes",
      "singleThreadGBps", "threads", "allThreadsGBps", "note");
  static final Set<String> CHECK = Set.of("name", "state", "detail", "fix");

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void jsonReportHasTheDocumentedFieldsAndMeasuredValues() throws IOException {
    HostEnvironment host = CliRunner.isolated(tmp);
    int port = closedPort();
    Path config = Files.writeString(host.workingDir().resolve("edgeai.yaml"),
        "models:\n  dir: my-models\nmqtt:\n  host: 127.0.0.1\n  port: " + port + "\n");

    CliRunner.Result r = CliRunner.run(host, "doctor", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());

    assertEquals(new TreeSet<>(TOP), fields(json));
    assertEquals(new TreeSet<>(OS), fields(json.get("os")));
    assertEquals(new TreeSet<>(CPU), fields(json.get("cpu")));
    assertEquals(new TreeSet<>(MEMORY), fields(json.get("memory")));
    assertEquals(new TreeSet<>(DISK), fields(json.get("disk")));
    assertEquals(new TreeSet<>(JVM), fields(json.get("jvm")));
    assertEquals(new TreeSet<>(VECTOR), fields(json.get("vectorApi")));
    assertEquals(new TreeSet<>(BANDWIDTH), fields(json.get("memoryBandwidth")));

    assertEquals(BuildInfo.version(), json.get("edgeaiVersion").asText());
    assertEquals(config.toString(), json.get("configFile").asText());
    assertEquals(System.getProperty("os.arch"), json.at("/os/arch").asText());
    assertEquals(Runtime.getRuntime().availableProcessors(), json.at("/cpu/logicalCores").asInt());
    assertTrue(json.at("/cpu/simd").isArray());
    assertTrue(json.at("/memory/totalBytes").asLong() >= json.at("/memory/availableBytes").asLong());
    assertTrue(json.at("/memory/availableBytes").asLong() > 0);
    assertEquals(host.workingDir().resolve("my-models").toString(),
        json.at("/disk/modelsDir").asText());
    assertTrue(json.at("/disk/freeBytes").asLong() > 0);
    assertEquals(Runtime.version().toString(), json.at("/jvm/version").asText());

    JsonNode v = json.get("vectorApi");
    assertTrue(v.get("present").asBoolean());
    assertTrue(v.get("preferredBits").asInt() >= 64);
    assertTrue(v.get("speedup").asDouble() > 0);
    assertTrue(Set.of("fast", "no-speedup", "slow").contains(v.get("verdict").asText()),
        v.toString());

    JsonNode b = json.get("memoryBandwidth");
    assertEquals("stream-triad", b.get("method").asText());
    assertTrue(b.get("singleThreadGBps").asDouble() > 0, b.toString());
    assertTrue(b.get("allThreadsGBps").asDouble() > 0, b.toString());
    assertEquals(Runtime.getRuntime().availableProcessors(), b.get("threads").asInt());

    List<String> names = new ArrayList<>();
    for (JsonNode check : json.get("optional")) {
      assertEquals(new TreeSet<>(CHECK), fields(check));
      assertTrue(Set.of("ok", "missing", "failed").contains(check.get("state").asText()));
      assertEquals(check.get("state").asText().equals("ok"), check.get("fix").isNull(),
          "a fix exactly when something is wrong: " + check);
      names.add(check.get("name").asText());
    }
    assertEquals(List.of("onnxruntime", "ffmpeg", "mqtt-broker"), names);
    // The ONNX Runtime library ships inside the dependency jar for this platform.
    assertEquals("ok", json.at("/optional/0/state").asText(), json.at("/optional/0").toString());
    // ... and lists its execution providers; every build has the CPU one.
    assertTrue(json.at("/optional/0/detail").asText().matches("ONNX Runtime \\S+, providers: .*CPUExecutionProvider.*"),
        json.at("/optional/0").toString());
    // ffmpeg's state must agree with what is on the PATH.
    boolean ffmpegOnPath = FfmpegCheck.findOnPath("ffmpeg", System.getenv("PATH")).isPresent();
    assertEquals(ffmpegOnPath ? "ok" : "missing", json.at("/optional/1/state").asText());
    // Nothing listens on the configured port, and the report says so.
    JsonNode mqtt = json.at("/optional/2");
    assertEquals("failed", mqtt.get("state").asText());
    assertTrue(mqtt.get("detail").asText().contains("127.0.0.1:" + port), mqtt.toString());
  }

  @Test
  void humanReportHasEverySectionAndSaysWhenBandwidthIsSkipped() {
    CliRunner.Result r =
        CliRunner.run(CliRunner.isolated(tmp), "doctor", "--bandwidth-mib", "0");
    assertEquals(0, r.exit(), r.err());
    for (String s : new String[] {"System", "CPU", "SIMD", "Memory", "Models dir", "Disk free",
        "Java", "JVM", "Vector API", "Measured", "Memory bandwidth", "skipped", "Optional parts",
        "onnxruntime", "ffmpeg", "mqtt-broker", "config: none found, defaults"}) {
      assertTrue(r.out().contains(s), "report mentions " + s + ":\n" + r.out());
    }
  }

  @Test
  void vectorVerdictNamesAreTheDocumentedOnes() {
    var result = ai.edgeai.llm.kernel.VectorProbe.run(40);
    DoctorReport.VectorApi v = Doctor.vectorApi(result);
    assertNotNull(v.verdict());
    assertEquals(result.verdict().name().toLowerCase().replace('_', '-'), v.verdict());
  }
}
