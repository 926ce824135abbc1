package ai.edgeai.cli.vision;

import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.detect.StageTimes;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageFiles;
import ai.edgeai.vision.onnx.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgeai bench vision}: the detection pipeline on an already decoded 640×360 frame (pre-
 * processing, inference, post-processing) next to a bare {@code session.run} loop on the same
 * input tensor. The two loops alternate in rounds so that drift on a shared machine hits both.
 */
@Command(
    name = "vision",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks a detector: pre-processing, inference and post-processing ms and end-to-end FPS from a decoded 640x360 frame,",
      "next to a raw session.run loop on the same input. JPEG decoding (with --image) is reported separately."
    })
public final class BenchVisionCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME|PATH", description = "Detection model name or path.")
  String model;

  @Option(names = "--image", paramLabel = "FILE", description = "Photo to resize to the 640x360 frame (default: a synthetic frame, which has few detections).")
  Path image;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "90", description = "Timed frames per loop (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "15", description = "Untimed frames first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Mixin VisionOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SessionConfig config;
    try {
      config = options.sessionConfig();
      if (iterations < 3 || warmup < 0) throw new IllegalArgumentException("--iterations must be >= 3 and --warmup >= 0");
    } catch (IllegalArgumentException e) {
      return CliErrors.usage(err, e.getMessage());
    }
    Frame frame;
    String source;
    if (image != null) {
      double[] decode = new double[7];
      Frame full = null;
      for (int i = 0; i < decode.length; i++) {
        long t = System.nanoTime();
        full = ImageFiles.read(image);
        decode[i] = (System.nanoTime() - t) / 1e6;
      }
      frame = full.resized(640, 360);
      source = String.format(Locale.ROOT, "%s (%dx%d, JPEG/PNG decode %.1f ms median of %d, not included below)",
          image, full.width(), full.height(), median(decode), decode.length);
    } else {
      frame = syntheticFrame(640, 360);
      source = "synthetic (no photo given: few detections, post-processing is light)";
    }
    try (Detector detector = Detector.open(options.catalog().resolve(model), config)) {
      detector.model().warnings().forEach(w -> CliErrors.warn(err, w));
      for (int i = 0; i < warmup; i++) {
        detector.detect(frame);
        detector.model().runRaw();
      }
      int rounds = 3;
      int perRound = Math.max(1, iterations / rounds);
      double[] pre = new double[perRound * rounds];
      double[] inf = new double[pre.length];
      double[] post = new double[pre.length];
      long pipelineNanos = 0;
      long rawNanos = 0;
      int detections = 0;
      int k = 0;
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < perRound; i++, k++) {
          detections = detector.detect(frame).size();
          StageTimes st = detector.lastTimes();
          pre[k] = st.preprocessNanos() / 1e6;
          inf[k] = st.inferenceNanos() / 1e6;
          post[k] = st.postprocessNanos() / 1e6;
        }
        pipelineNanos += System.nanoTime() - t0;
        detector.model().setInput(frame);
        long t1 = System.nanoTime();
        for (int i = 0; i < perRound; i++) detector.model().runRaw();
        rawNanos += System.nanoTime() - t1;
      }
      int n = perRound * rounds;
      double pipelineFps = n / (pipelineNanos / 1e9);
      double rawFps = n / (rawNanos / 1e9);
      double meanPre = mean(pre), meanInf = mean(inf), meanPost = mean(post);
      out.printf(Locale.ROOT, "model %s (%s), provider %s, intra-op threads %s%n", detector.descriptor().name(),
          detector.descriptor().model(), detector.model().provider().configName(), config.intraOpThreads() == 0 ? "auto" : config.intraOpThreads());
      out.printf(Locale.ROOT, "frame 640x360 from %s; %d detections%n", source, detections);
      out.printf(Locale.ROOT, "pipeline (%d frames): pre-processing %.2f ms, inference %.2f ms, post-processing %.2f ms (means; medians %.2f / %.2f / %.2f)%n",
          n, meanPre, meanInf, meanPost, median(pre), median(inf), median(post));
      out.printf(Locale.ROOT, "pipeline end-to-end: %.2f ms/frame, %.1f FPS%n", 1000 / pipelineFps, pipelineFps);
      out.printf(Locale.ROOT, "raw session.run loop: %.2f ms/frame, %.1f FPS%n", 1000 / rawFps, rawFps);
      out.printf(Locale.ROOT, "pipeline/raw throughput %.2f; pre+post share of pipeline time %.1f%%%n",
          pipelineFps / rawFps, 100 * (meanPre + meanPost) / (meanPre + meanInf + meanPost));
      out.flush();
    }
    return 0;
  }

  /** A smooth colour field with noise: deterministic, no licence questions. */
  static Frame syntheticFrame(int w, int h) {
    byte[] px = new byte[w * h * 3];
    SplittableRandom rnd = new SplittableRandom(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        px[o] = (byte) (x * 255 / w + rnd.nextInt(16));
        px[o + 1] = (byte) (y * 255 / h + rnd.nextInt(16));
        px[o + 2] = (byte) ((x + y) % 256);
      }
    }
    return new Frame(w, h, px);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
