package ai.edgeai.cli.vision;

import ai.edgeai.vision.detect.Detector;
import ai.edgeai.vision.detect.StageTimes;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageFiles;
import ai.edgeai.vision.onnx.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
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
 * input tensor and output tensors. The two loops alternate in rounds (A B, B A, ...) so that drift
 * on a shared machine hits both, and the ratio is reported per round with its spread.
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

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "600", description = "Timed frames per loop (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "15", description = "Untimed frames first, at least (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "2",
      description = "Keep warming up until this much time has passed too, so the JIT has compiled the pipeline before the first timed round (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "20", description = "Alternating pipeline/raw rounds the frames are split into, at most one per frame (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Mixin VisionOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SessionConfig config;
    try {
      config = options.sessionConfig();
      if (rounds < 2 || iterations < 2 || warmup < 0 || !(warmupSeconds >= 0)) {
        throw new IllegalArgumentException("--rounds and --iterations must be >= 2, --warmup and --warmup-seconds >= 0");
      }
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
      // Untimed until both the frame count and the time are reached: a count alone left the first
      // timed rounds running code the JIT had not compiled yet (a fast model does 15 frames in 40 ms).
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      for (int done = 0; done < warmup || System.nanoTime() < warmupEnd; done += 8) {
        for (int i = 0; i < 8; i++) {
          detector.detect(frame);
          detector.model().runRaw();
        }
        overlappedRound(detector, frame, 8);
      }
      int rounds = Math.min(this.rounds, iterations);
      int perRound = iterations / rounds;
      int n = perRound * rounds;
      double[] pre = new double[n];
      double[] inf = new double[n];
      double[] post = new double[n];
      double[] pipelineMs = new double[rounds]; // ms per frame in each round
      double[] rawMs = new double[rounds];
      double[] ratio = new double[rounds];
      int detections = 0;
      int k = 0;
      double[] overlappedMs = new double[rounds];
      double[] overlapRatio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        // The three loops take turns going first (A B C, B C A, C A B): drift on a shared machine
        // and order effects hit all of them alike.
        for (int step = 0; step < 3; step++) {
          switch ((r + step) % 3) {
            case 0 -> {
              long t0 = System.nanoTime();
              for (int i = 0; i < perRound; i++, k++) {
                detections = detector.detect(frame).size();
                StageTimes st = detector.lastTimes();
                pre[k] = st.preprocessNanos() / 1e6;
                inf[k] = st.inferenceNanos() / 1e6;
                post[k] = st.postprocessNanos() / 1e6;
              }
              pipelineMs[r] = (System.nanoTime() - t0) / 1e6 / perRound;
            }
            case 1 -> rawMs[r] = rawRound(detector, frame, perRound);
            default -> overlappedMs[r] = overlappedRound(detector, frame, perRound);
          }
        }
        ratio[r] = rawMs[r] / pipelineMs[r];
        overlapRatio[r] = rawMs[r] / overlappedMs[r];
      }
      double pipelineFps = 1000 / mean(pipelineMs);
      double rawFps = 1000 / mean(rawMs);
      double meanPre = mean(pre), meanInf = mean(inf), meanPost = mean(post);
      double medPre = median(pre), medInf = median(inf), medPost = median(post);
      out.printf(Locale.ROOT, "model %s (%s), provider %s, intra-op threads %s%n", detector.descriptor().name(),
          detector.descriptor().model(), detector.model().provider().configName(), config.intraOpThreads() == 0 ? "auto" : config.intraOpThreads());
      out.printf(Locale.ROOT, "frame 640x360 from %s; %d detections%n", source, detections);
      out.printf(Locale.ROOT, "pipeline (%d frames): pre-processing %.2f ms, inference %.2f ms, post-processing %.2f ms (means; medians %.2f / %.2f / %.2f)%n",
          n, meanPre, meanInf, meanPost, medPre, medInf, medPost);
      out.printf(Locale.ROOT, "pipeline end-to-end: %.2f ms/frame, %.1f FPS (round medians %.2f ms, %.1f FPS)%n",
          1000 / pipelineFps, pipelineFps, median(pipelineMs), 1000 / median(pipelineMs));
      out.printf(Locale.ROOT, "raw session.run loop: %.2f ms/frame, %.1f FPS (round medians %.2f ms, %.1f FPS)%n",
          1000 / rawFps, rawFps, median(rawMs), 1000 / median(rawMs));
      double[] sorted = ratio.clone();
      Arrays.sort(sorted);
      out.printf(Locale.ROOT, "pipeline/raw throughput: %.3f median of %d A/B rounds of %d frames (quartiles %.3f..%.3f, range %.3f..%.3f); overall %.3f%n",
          median(ratio), rounds, perRound, quantile(sorted, 0.25), quantile(sorted, 0.75), sorted[0], sorted[rounds - 1], pipelineFps / rawFps);
      double[] sortedOverlap = overlapRatio.clone();
      Arrays.sort(sortedOverlap);
      out.printf(Locale.ROOT, "overlapped pipeline (pre-processing of frame N+1 during inference of frame N): %.2f ms/frame, %.1f FPS;"
          + " pipeline/raw %.3f median (quartiles %.3f..%.3f, range %.3f..%.3f)%n",
          mean(overlappedMs), 1000 / mean(overlappedMs), median(overlapRatio), quantile(sortedOverlap, 0.25), quantile(sortedOverlap, 0.75),
          sortedOverlap[0], sortedOverlap[rounds - 1]);
      out.printf(Locale.ROOT, "pre+post share of pipeline time: %.1f%% (medians), %.1f%% (means)%n",
          100 * (medPre + medPost) / (medPre + medInf + medPost), 100 * (meanPre + meanPost) / (meanPre + meanInf + meanPost));
      out.flush();
    }
    return 0;
  }

  /** Milliseconds per frame of {@code frames} bare runs on the input the pipeline last set. */
  private static double rawRound(Detector detector, Frame frame, int frames) {
    detector.model().setInput(frame);
    long t = System.nanoTime();
    for (int i = 0; i < frames; i++) detector.model().runRaw();
    return (System.nanoTime() - t) / 1e6 / frames;
  }

  /** Milliseconds per frame of the overlapped pipeline over {@code frames} copies of the frame. */
  private static double overlappedRound(Detector detector, Frame frame, int frames) {
    Iterator<Frame> stream = Collections.nCopies(frames, frame).iterator();
    int[] seen = new int[1];
    long t = System.nanoTime();
    try {
      detector.detectOverlapped(stream, detector.descriptor().thresholds().score(), (f, found) -> seen[0]++);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    double ms = (System.nanoTime() - t) / 1e6 / frames;
    if (seen[0] != frames) throw new IllegalStateException("overlapped pipeline returned " + seen[0] + " of " + frames + " frames");
    return ms;
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

  /** Linear-interpolated quantile of an ascending array. */
  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int i = (int) pos;
    return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (pos - i) : sorted[i];
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
