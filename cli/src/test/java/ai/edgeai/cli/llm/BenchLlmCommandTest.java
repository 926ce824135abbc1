package ai.edgeai.cli.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.CliRunner;
import ai.edgeai.cli.config.HostEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchLlmCommandTest {

  private static final int DEFAULT_BATCH = ai.edgeai.llm.kernel.PackedGemm.applies() ? 128 : 32;

  private static final Path MODEL = Path.of("../llm/src/test/resources/llm/gguf/stories260K-Q4_0.gguf").toAbsolutePath();

  @TempDir Path tmp;
  HostEnvironment host;

  @BeforeEach
  void isolate() {
    host = CliRunner.isolated(tmp);
  }

  @Test
  void jsonHasEveryFieldWithSaneValues() throws Exception {
    CliRunner.Result r = CliRunner.run(host, "bench", "llm", "--model", MODEL.toString(), "-p", "16", "-n", "8", "-r", "2",
        "--threads", "1", "--bandwidth-mib", "8", "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.out().strip().lines().count(), r.out());
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String f : new String[] {"prefill_tokens_per_s", "decode_tokens_per_s", "prefill_tokens_per_s_sd", "decode_tokens_per_s_sd",
        "weights_gb_per_s", "load_ms", "ttft_ms", "memory_bandwidth_gb_per_s", "bandwidth_share"}) {
      assertTrue(j.path(f).isNumber(), f + " in " + j);
      assertTrue(Double.isFinite(j.get(f).asDouble()) && j.get(f).asDouble() >= 0, f + " in " + j);
    }
    assertTrue(j.get("prefill_tokens_per_s").asDouble() > 0 && j.get("decode_tokens_per_s").asDouble() > 0, j.toString());
    assertTrue(j.get("load_ms").asDouble() > 0 && j.get("ttft_ms").asDouble() > 0, j.toString());
    assertEquals(2, j.get("decode_tokens_per_s_runs").size());
    assertEquals(2, j.get("prefill_tokens_per_s_runs").size());
    // Mean and sample sd (n - 1) of the runs: for two values, sd = |a - b| / sqrt(2).
    double a = j.get("decode_tokens_per_s_runs").get(0).asDouble(), b = j.get("decode_tokens_per_s_runs").get(1).asDouble();
    assertEquals((a + b) / 2, j.get("decode_tokens_per_s").asDouble(), 1e-9 * a);
    assertEquals(Math.abs(a - b) / Math.sqrt(2), j.get("decode_tokens_per_s_sd").asDouble(), 1e-9 * a);

    long bytesPerToken = j.get("weight_bytes_per_token").asLong();
    assertTrue(bytesPerToken > 0 && bytesPerToken <= Files.size(MODEL), j.toString());
    assertEquals(bytesPerToken * j.get("decode_tokens_per_s").asDouble() / 1e9, j.get("weights_gb_per_s").asDouble(), 1e-9);
    assertEquals(j.get("weights_gb_per_s").asDouble() / j.get("memory_bandwidth_gb_per_s").asDouble(),
        j.get("bandwidth_share").asDouble(), 1e-9);

    // The test JVM itself has a resident set far larger than the 370 KB model; it is a real VmHWM reading.
    if (Files.exists(Path.of("/proc/self/status"))) assertTrue(j.get("peak_rss_bytes").asLong() > 10_000_000L, j.toString());
    assertEquals("Q4_0", j.get("weight_type").asText());
    assertEquals(1, j.get("threads").asInt());
    // The default (edgeai.llm.prefillBatch unset): 128 where the packed GEMM runs (512-bit kernels), else 32.
    assertEquals(DEFAULT_BATCH, j.get("prefill_batch").asInt());
    assertEquals(16, j.get("p").asInt());
    assertEquals(8, j.get("n").asInt());
    assertEquals(2, j.get("r").asInt());
    assertEquals(24, j.get("ctx").asInt());
    assertEquals(MODEL.toString(), j.get("model").asText());
  }

  @Test
  void textReportWithGivenBandwidth() {
    CliRunner.Result r = CliRunner.run(host, "bench", "llm", "--model", MODEL.toString(), "-p", "8", "-n", "4", "-r", "1",
        "--threads", "2", "--bandwidth", "12.5", "--ctx-size", "64");
    assertEquals(0, r.exit(), r.err());
    String o = r.out();
    assertTrue(o.contains("pp8 ") && o.contains("tg4 "), o);
    assertTrue(o.contains("of 12.5 GB/s (given (--bandwidth))"), o);
    assertTrue(o.contains("threads 2, prefill batch " + DEFAULT_BATCH + ", context 64"), o);
    assertTrue(o.contains("time to first token"), o);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    CliRunner.Result r = CliRunner.run(host, "bench", "llm", "--model", MODEL.toString(), "-p", "0");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("edgeai: error: -p must be >= 1"), r.err());
    r = CliRunner.run(host, "bench", "llm", "--model", MODEL.toString(), "-p", "32", "-n", "32", "--ctx-size", "40");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--ctx-size 40 is smaller than p + n = 64"), r.err());
  }

  @Test
  void missingOrCorruptModelIsOneLineError() throws Exception {
    Path missing = tmp.resolve("nope.gguf");
    CliRunner.Result r = CliRunner.run(host, "bench", "llm", "--model", missing.toString(), "--bandwidth", "10");
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains(missing.toString()), r.err());

    Path cut = tmp.resolve("cut.gguf");
    byte[] b = Files.readAllBytes(MODEL);
    Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
    r = CliRunner.run(host, "bench", "llm", "--model", cut.toString(), "--bandwidth", "10");
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().startsWith("edgeai: error: ") && r.err().contains(cut.toString()), r.err());
  }
}
