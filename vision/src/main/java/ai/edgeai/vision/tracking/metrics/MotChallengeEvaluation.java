package ai.edgeai.vision.tracking.metrics;

import ai.edgeai.vision.tracking.mot.MotFile;
import ai.edgeai.vision.tracking.mot.MotRecord;
import ai.edgeai.vision.tracking.mot.SeqInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Evaluates MOTChallenge files or folders.
 *
 * <p>Ground truth: a file, or a folder holding {@code <seq>/gt/gt.txt} or {@code <seq>/gt.txt}
 * (or itself being one sequence), with {@code seqinfo.ini} next to gt.txt or one level up when
 * present. Predictions: a file, or a folder of {@code <seq>.txt}; a prediction named
 * {@code <seq>-<detector>.txt} is evaluated against {@code <seq>}'s ground truth. Only sequences
 * with a prediction are evaluated.
 */
public final class MotChallengeEvaluation {

  /** Per-sequence results (keyed by prediction name, sorted) and their combination. */
  public record Result(Map<String, MotMetrics> sequences, MotMetrics combined, MotBenchmark benchmark) {}

  private record GtSequence(String name, Path gtFile, SeqInfo info) {}

  private MotChallengeEvaluation() {}

  /**
   * @param benchmark null to choose from the ground truth: MOT17 when every line has a class 1..13
   *     and a visibility in [0, 1], MOT15 otherwise
   */
  public static Result evaluate(Path gt, Path pred, MotBenchmark benchmark) throws IOException {
    if (!Files.exists(gt)) throw new IOException("ground truth not found: " + gt);
    if (!Files.exists(pred)) throw new IOException("predictions not found: " + pred);
    Map<String, GtSequence> gtSeqs = findGroundTruth(gt);
    Map<String, Path> preds = new TreeMap<>();
    if (Files.isDirectory(pred)) {
      try (Stream<Path> s = Files.list(pred)) {
        s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".txt"))
            .forEach(p -> preds.put(stem(p), p));
      }
      if (preds.isEmpty()) throw new IOException("no prediction files (*.txt) in " + pred);
    } else {
      preds.put(gtSeqs.size() == 1 && !Files.isDirectory(gt) ? gtSeqs.keySet().iterator().next() : stem(pred), pred);
    }
    Map<String, MotMetrics> results = new LinkedHashMap<>();
    MotBenchmark chosen = benchmark;
    for (var e : preds.entrySet()) {
      GtSequence seq = match(e.getKey(), gtSeqs, e.getValue());
      List<MotRecord> gtRecords = MotFile.read(seq.gtFile());
      if (chosen == null) chosen = looksLikeMot17(gtRecords) ? MotBenchmark.MOT17 : MotBenchmark.MOT15;
      List<MotRecord> predRecords = MotFile.read(e.getValue());
      int frames = seq.info() == null ? 0 : seq.info().seqLength();
      EvalSequence es;
      try {
        es = EvalSequence.prepare(e.getKey(), gtRecords, seq.gtFile().toString(), predRecords,
            e.getValue().toString(), frames, chosen);
      } catch (IllegalArgumentException ex) {
        throw new IOException(ex.getMessage(), ex);
      }
      results.put(e.getKey(), MotMetrics.evaluate(es));
    }
    return new Result(results, MotMetrics.combine(new ArrayList<>(results.values())), chosen);
  }

  /** MOT16/17 ground truth: every line has a class 1..13 and a visibility in [0, 1]. */
  static boolean looksLikeMot17(List<MotRecord> gt) {
    return !gt.isEmpty() && gt.stream().allMatch(r -> r.classId() >= 1 && r.classId() <= 13
        && r.visibility() >= 0 && r.visibility() <= 1);
  }

  private static GtSequence match(String predName, Map<String, GtSequence> gt, Path predFile) throws IOException {
    GtSequence s = gt.get(predName);
    int dash = predName.lastIndexOf('-');
    if (s == null && dash > 0) s = gt.get(predName.substring(0, dash));
    if (s == null) {
      throw new IOException("no ground truth for prediction " + predFile + " (sequences: " + gt.keySet() + ")");
    }
    return s;
  }

  private static Map<String, GtSequence> findGroundTruth(Path gt) throws IOException {
    Map<String, GtSequence> out = new TreeMap<>();
    if (Files.isRegularFile(gt)) {
      Path dir = gt.toAbsolutePath().getParent();
      String name = stem(gt);
      if (name.equals("gt") && dir != null) {
        Path seqDir = dir.getFileName() != null && dir.getFileName().toString().equals("gt") ? dir.getParent() : dir;
        if (seqDir != null && seqDir.getFileName() != null) name = seqDir.getFileName().toString();
      }
      out.put(name, new GtSequence(name, gt, seqInfo(gt)));
      return out;
    }
    Path own = gtFileIn(gt);
    if (own != null) {
      String name = gt.toAbsolutePath().normalize().getFileName().toString();
      out.put(name, new GtSequence(name, own, seqInfo(own)));
      return out;
    }
    try (Stream<Path> s = Files.list(gt)) {
      for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
        Path f = gtFileIn(dir);
        if (f != null) out.put(dir.getFileName().toString(), new GtSequence(dir.getFileName().toString(), f, seqInfo(f)));
      }
    }
    if (out.isEmpty()) throw new IOException("no ground truth (<seq>/gt/gt.txt or <seq>/gt.txt) under " + gt);
    return out;
  }

  private static Path gtFileIn(Path dir) {
    Path a = dir.resolve("gt").resolve("gt.txt");
    if (Files.isRegularFile(a)) return a;
    Path b = dir.resolve("gt.txt");
    return Files.isRegularFile(b) ? b : null;
  }

  private static SeqInfo seqInfo(Path gtFile) throws IOException {
    Path dir = gtFile.toAbsolutePath().getParent();
    for (int up = 0; up < 2 && dir != null; up++, dir = dir.getParent()) {
      Path ini = dir.resolve("seqinfo.ini");
      if (Files.isRegularFile(ini)) return SeqInfo.read(ini);
    }
    return null;
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
