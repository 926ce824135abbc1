package ai.edgeai.cli.llm;

import ai.edgeai.llm.kernel.MemoryBandwidth;
import ai.edgeai.llm.kernel.VectorProbe;
import ai.edgeai.llm.model.InferenceState;
import ai.edgeai.llm.model.LlamaConfig;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.sampling.Sampler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgeai bench llm}: prompt processing and generation speed in the manner of llama.cpp's
 * {@code llama-bench}: a prompt of random valid token ids, then single-token decode steps, repeated
 * after an untimed warm-up, reported as mean ± sample standard deviation.
 *
 * <p>Unlike {@code llama-bench}'s separate {@code tg} test, decoding continues after the prompt (at
 * depth p), as a real generation does; the side-by-side script measures llama.cpp the same way.
 */
@Command(
    name = "llm",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks an LLM like llama-bench: prefill tok/s over a p-token prompt of random token ids and decode tok/s over n tokens",
      "(mean ± sd over r repetitions after a warm-up), weight GB/s achieved in decode and its share of the measured memory bandwidth,",
      "peak resident memory, load time and time to first token."
    })
public final class BenchLlmCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF file or llama2.c checkpoint (.bin).")
  Path model;

  @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", defaultValue = "128", description = "Prompt tokens (default ${DEFAULT-VALUE}).")
  int promptTokens;

  @Option(names = {"-n", "--n-gen"}, paramLabel = "N", defaultValue = "64", description = "Generated tokens (default ${DEFAULT-VALUE}).")
  int genTokens;

  @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "3", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "0", description = "Extra untimed runs after the cold first one, which always runs and gives the time to first token (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "Context length of the KV cache (default: p + n).")
  Integer ctxSize;

  @Option(names = "--f16-kv", description = "Keep the KV cache in F16.")
  boolean f16Kv;

  @Option(names = "--exact-prefill", description = "Run prompt batches on the decode kernels (bit-identical to token-by-token; slower).")
  boolean exactPrefill;

  @Option(names = "--compat", paramLabel = "MODE", description = "'llamacpp': measure with llama.cpp's exact float order (as edgeai generate --compat llamacpp).")
  String compat;

  @Option(names = "--jit-warmup", description = "Warm the JIT up after loading, as 'edgeai serve' does (LlamaModel.warmUp), counted in the load time; the first request then runs compiled kernels.")
  boolean jitWarmup;

  @Option(names = "--bandwidth", paramLabel = "GBPS", description = "Memory bandwidth in GB/s to compare against (default: measure it as 'doctor' does, all threads).")
  Double bandwidth;

  @Option(names = "--bandwidth-mib", paramLabel = "MIB", defaultValue = "128", description = "Size of each triad array when measuring bandwidth (default ${DEFAULT-VALUE}).")
  int bandwidthMib;

  @Option(names = {"-s", "--seed"}, paramLabel = "S", defaultValue = "42", description = "Seed of the random prompt (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  /** Passes the triad makes; the best counts, as in 'doctor'. */
  private static final int BANDWIDTH_PASSES = 5;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    if (promptTokens < 1) throw new CommandLine.ParameterException(cmd, "-p must be >= 1, got " + promptTokens);
    if (genTokens < 1) throw new CommandLine.ParameterException(cmd, "-n must be >= 1, got " + genTokens);
    if (repetitions < 1) throw new CommandLine.ParameterException(cmd, "-r must be >= 1, got " + repetitions);
    if (warmup < 0) throw new CommandLine.ParameterException(cmd, "--warmup must be >= 0, got " + warmup);
    int nThreads = threads != null ? threads : ModelAndTokenizer.defaultThreads();
    if (nThreads < 1) throw new CommandLine.ParameterException(cmd, "--threads must be >= 1, got " + nThreads);
    int ctx = ctxSize != null ? ctxSize : promptTokens + genTokens;
    if (ctx < promptTokens + genTokens) {
      throw new CommandLine.ParameterException(cmd, "--ctx-size " + ctx + " is smaller than p + n = " + (promptTokens + genTokens));
    }
    if (bandwidth != null && !(bandwidth > 0)) throw new CommandLine.ParameterException(cmd, "--bandwidth must be > 0, got " + bandwidth);
    if (bandwidthMib < 1) throw new CommandLine.ParameterException(cmd, "--bandwidth-mib must be >= 1, got " + bandwidthMib);
    ModelAndTokenizer.requireFile(model, "model");

    long t0 = System.nanoTime();
    Report r;
    try (LlamaModel m = LlamaModel.load(model, nThreads)) {
      weightLayout = m.weightLayout();
      m.setExactPrefill(exactPrefill);
      if (compat != null) {
        if (!compat.equals("llamacpp")) throw new CommandLine.ParameterException(spec.commandLine(), "--compat must be 'llamacpp', got '" + compat + "'");
        m.setGgmlExactOrder(true);
      }
      double warmUpMs = jitWarmup ? m.warmUp() : 0;
      double loadMs = (System.nanoTime() - t0) / 1e6;
      r = measure(m, ctx, loadMs, warmUpMs);
    }
    // After the model's measurements: the triad's arrays would otherwise count in the peak RSS.
    Bandwidth bw = bandwidth != null ? new Bandwidth(bandwidth, "given (--bandwidth)") : measureBandwidth();
    PrintWriter out = cmd.getOut();
    if (json) out.println(toJson(r, bw));
    else printText(out, r, bw);
    out.flush();
    return 0;
  }

  /** Everything measured on the model. */
  /** What the loaded model did with its weights ({@code LlamaModel.weightLayout()}). */
  private String weightLayout = "";

  record Report(
      String model, long fileBytes, String weightType, long parameters, long weightBytesPerToken, long kvCacheBytes,
      int threads, int prefillBatch, int ctx, double loadMs, double warmUpMs, double ttftMs, double[] prefillTps, double[] decodeTps, double[] prefillMs,
      Long peakRssBytes) {}

  record Bandwidth(double gbPerS, String source) {}

  private Report measure(LlamaModel m, int ctx, double loadMs, double warmUpMs) throws IOException {
    LlamaConfig c = m.config();
    int[] prompt = randomTokens(c.vocabSize(), promptTokens, new SplittableRandom(seed));
    SplittableRandom decodeTokens = new SplittableRandom(seed + 1);

    // Cold start: what a first request after loading sees (state allocation, JIT included).
    long t = System.nanoTime();
    InferenceState s = m.newState(ctx, f16Kv);
    prefill(m, s, prompt);
    Sampler.argmax(s.logits());
    double ttftMs = (System.nanoTime() - t) / 1e6;
    decode(m, s, genTokens, decodeTokens);
    for (int i = 0; i < warmup; i++) {
      s.truncate(0);
      prefill(m, s, prompt);
      decode(m, s, genTokens, decodeTokens);
    }

    double[] prefillTps = new double[repetitions], decodeTps = new double[repetitions], prefillMs = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      s.truncate(0);
      long a = System.nanoTime();
      prefill(m, s, prompt);
      long b = System.nanoTime();
      decode(m, s, genTokens, decodeTokens);
      long e = System.nanoTime();
      prefillMs[i] = (b - a) / 1e6;
      prefillTps[i] = promptTokens / ((b - a) / 1e9);
      decodeTps[i] = genTokens / ((e - b) / 1e9);
    }
    return new Report(model.toString(), Files.size(model), m.weights().wq()[0].type().name(), m.parameterCount(),
        m.weightBytesPerToken(), s.kvCacheBytes(), m.threads(), m.prefillBatch(), ctx, loadMs, warmUpMs, ttftMs, prefillTps, decodeTps, prefillMs,
        peakRssBytes());
  }

  /**
   * The prompt, processed into the KV cache; the state's logits then belong to its last token.
   * The one place that decides how prefill runs: batched, as generation does it.
   */
  static void prefill(LlamaModel m, InferenceState s, int[] tokens) {
    m.forwardBatch(s, tokens);
  }

  /** {@code n} single-token steps of random valid ids (llama-bench feeds random ids too). */
  private static void decode(LlamaModel m, InferenceState s, int n, SplittableRandom rnd) {
    int vocab = m.config().vocabSize();
    for (int i = 0; i < n; i++) {
      m.forward(s, rnd.nextInt(vocab));
      Sampler.argmax(s.logits()); // the per-token sampling work a generation does
    }
  }

  static int[] randomTokens(int vocab, int n, SplittableRandom rnd) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) ids[i] = rnd.nextInt(vocab);
    return ids;
  }

  private Bandwidth measureBandwidth() {
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    Runtime rt = Runtime.getRuntime();
    long heapRoom = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) * 6 / 10 / 3;
    long perArray = Math.min((long) bandwidthMib << 20, heapRoom);
    long elements = Math.min(perArray / Double.BYTES, Integer.MAX_VALUE - 8);
    if (elements < 1024) return new Bandwidth(Double.NaN, "not measured: too little free heap");
    List<MemoryBandwidth.Result> results = MemoryBandwidth.measure((int) elements, cores, BANDWIDTH_PASSES);
    MemoryBandwidth.Result all = results.get(results.size() - 1);
    return new Bandwidth(all.gigabytesPerSecond(), String.format(Locale.ROOT, "stream triad, %d threads, %d MiB arrays",
        cores, all.bytesPerArray() >> 20));
  }

  /** VmHWM of /proc/self/status (peak resident set), or null where there is no procfs. */
  static Long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] f = line.substring(6).trim().split("\\s+");
          return Long.parseLong(f[0]) * 1024; // reported in kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  /** Sample standard deviation (n - 1), as llama-bench reports; 0 for a single value. */
  static double sd(double[] v) {
    if (v.length < 2) return 0;
    double m = mean(v), s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return Math.sqrt(s / (v.length - 1));
  }

  private double weightsGbPerS(Report r) {
    return r.weightBytesPerToken() * mean(r.decodeTps()) / 1e9;
  }

  private String toJson(Report r, Bandwidth bw) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode o = mapper.createObjectNode();
    o.put("model", r.model());
    o.put("model_bytes", r.fileBytes());
    o.put("weight_type", r.weightType());
    o.put("parameters", r.parameters());
    o.put("backend", "edgeai-java");
    o.put("kernels", ai.edgeai.llm.kernel.Kernels.describe());
    o.put("weight_layout", weightLayout);
    o.put("jvm", Runtime.version().toString());
    o.put("vector_api", VectorProbe.isVectorApiPresent());
    o.put("arch", System.getProperty("os.arch"));
    o.put("cpus", Runtime.getRuntime().availableProcessors());
    o.put("threads", r.threads());
    o.put("prefill_batch", r.prefillBatch());
    o.put("p", promptTokens);
    o.put("n", genTokens);
    o.put("r", repetitions);
    o.put("warmup_runs", warmup + 1);
    o.put("ctx", r.ctx());
    o.put("f16_kv", f16Kv);
    o.put("prefill_tokens_per_s", mean(r.prefillTps()));
    o.put("prefill_tokens_per_s_sd", sd(r.prefillTps()));
    o.put("decode_tokens_per_s", mean(r.decodeTps()));
    o.put("decode_tokens_per_s_sd", sd(r.decodeTps()));
    o.put("prefill_ms", mean(r.prefillMs()));
    o.put("weight_bytes_per_token", r.weightBytesPerToken());
    o.put("weights_gb_per_s", weightsGbPerS(r));
    if (Double.isFinite(bw.gbPerS())) {
      o.put("memory_bandwidth_gb_per_s", bw.gbPerS());
      o.put("bandwidth_share", weightsGbPerS(r) / bw.gbPerS());
    } else {
      o.putNull("memory_bandwidth_gb_per_s");
      o.putNull("bandwidth_share");
    }
    o.put("memory_bandwidth_source", bw.source());
    if (r.peakRssBytes() != null) o.put("peak_rss_bytes", r.peakRssBytes());
    else o.putNull("peak_rss_bytes");
    o.put("kv_cache_bytes", r.kvCacheBytes());
    o.put("load_ms", r.loadMs());
    o.put("warmup_ms", r.warmUpMs());
    o.put("ttft_ms", r.ttftMs());
    o.set("prefill_tokens_per_s_runs", mapper.valueToTree(r.prefillTps()));
    o.set("decode_tokens_per_s_runs", mapper.valueToTree(r.decodeTps()));
    return o.toString();
  }

  private void printText(PrintWriter out, Report r, Bandwidth bw) {
    out.printf(Locale.ROOT, "model %s: %s, %s parameters, %sB file, %sB of weights per token%n",
        r.model(), r.weightType(), si(r.parameters()), si(r.fileBytes()), si(r.weightBytesPerToken()));
    out.printf(Locale.ROOT, "threads %d, prefill batch %d, context %d (%s KV cache %sB), %d repetitions after %d warm-up run(s)%n",
        r.threads(), r.prefillBatch(), r.ctx(), f16Kv ? "F16" : "F32", si(r.kvCacheBytes()), repetitions, warmup + 1);
    out.printf(Locale.ROOT, "kernels: %s%n", ai.edgeai.llm.kernel.Kernels.describe());
    out.printf(Locale.ROOT, "weights: %s%n", weightLayout);
    out.printf(Locale.ROOT, "%-8s %9s   %5s%n", "test", "t/s", "sd");
    out.printf(Locale.ROOT, "%-8s %9.2f ± %5.2f%n", "pp" + promptTokens, mean(r.prefillTps()), sd(r.prefillTps()));
    out.printf(Locale.ROOT, "%-8s %9.2f ± %5.2f%n", "tg" + genTokens, mean(r.decodeTps()), sd(r.decodeTps()));
    String share = Double.isFinite(bw.gbPerS())
        ? String.format(Locale.ROOT, "%.0f%% of %.1f GB/s (%s)", 100 * weightsGbPerS(r) / bw.gbPerS(), bw.gbPerS(), bw.source())
        : bw.source();
    out.printf(Locale.ROOT, "decode reads %.1f GB/s of weights: %s%n", weightsGbPerS(r), share);
    out.printf(Locale.ROOT, "load %.0f ms (of which JIT warm-up %.0f ms); time to first token %.0f ms (first request, %d-token prompt; warm prefill %.0f ms)%n",
        r.loadMs(), r.warmUpMs(), r.ttftMs(), promptTokens, mean(r.prefillMs()));
    out.printf(Locale.ROOT, "peak resident memory %s%n", r.peakRssBytes() == null ? "unknown (no /proc/self/status)"
        : si(r.peakRssBytes()) + "B");
  }

  /** 1234567 -> "1.23 M" (decimal prefixes, as GB/s are). */
  static String si(long v) {
    if (v < 1000) return v + " ";
    String[] units = {"k", "M", "G", "T"};
    double x = v;
    int u = -1;
    while (x >= 1000 && u < units.length - 1) {
      x /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.3g %s", x, units[u]);
  }
}
