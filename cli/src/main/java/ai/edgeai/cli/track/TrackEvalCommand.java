package ai.edgeai.cli.track;

import ai.edgeai.vision.tracking.metrics.MotBenchmark;
import ai.edgeai.vision.tracking.metrics.MotChallengeEvaluation;
import ai.edgeai.vision.tracking.metrics.MotMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeai track eval}: CLEAR, Identity and HOTA metrics, MOTChallenge/TrackEval conventions. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates tracker output against ground truth (IoU ≥ 0.5; HOTA over α = 0.05..0.95).",
      "GT: a gt.txt or a folder of <seq>/gt/gt.txt or <seq>/gt.txt (seqinfo.ini used when present).",
      "PRED: a file or a folder of <seq>.txt; <seq>-<detector>.txt is scored against <seq>."
    })
public final class TrackEvalCommand implements Callable<Integer> {

  private static final List<String> COLUMNS = List.of("MOTA", "MOTP", "IDF1", "IDP", "IDR", "HOTA", "DetA", "AssA",
      "FP", "FN", "IDSW", "Frag", "MT", "PT", "ML");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--gt", required = true, paramLabel = "GT", description = "ground-truth file or folder")
  Path gt;

  @Option(names = "--pred", required = true, paramLabel = "PRED", description = "prediction file or folder")
  Path pred;

  @Option(names = "--benchmark", paramLabel = "mot15|mot17",
      description = "preprocessing (default: mot17 when the ground truth has MOT17 classes, else mot15)")
  String benchmark;

  @Option(names = "--json", description = "print {\"sequences\": {name: metrics}, \"combined\": metrics}")
  boolean json;

  @Override
  public Integer call() throws Exception {
    MotBenchmark b = null;
    if (benchmark != null) {
      try {
        b = MotBenchmark.parse(benchmark);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    MotChallengeEvaluation.Result r = MotChallengeEvaluation.evaluate(gt, pred, b);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      Map<String, Object> seqs = new LinkedHashMap<>();
      r.sequences().forEach((name, m) -> seqs.put(name, m.summary()));
      root.put("sequences", seqs);
      root.put("combined", r.combined().summary());
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    } else {
      int w = Math.max(8, r.sequences().keySet().stream().mapToInt(String::length).max().orElse(8));
      StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", "sequence"));
      for (String c : COLUMNS) head.append(String.format(Locale.ROOT, " %7s", c));
      out.println(head);
      r.sequences().forEach((name, m) -> out.println(row(name, m, w)));
      if (r.sequences().size() > 1) out.println(row("COMBINED", r.combined(), w));
      out.println("benchmark " + r.benchmark().name().toLowerCase(Locale.ROOT) + "; ratios in %");
    }
    out.flush();
    return 0;
  }

  private static String row(String name, MotMetrics m, int w) {
    Map<String, Number> s = m.summary();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", name));
    for (String c : COLUMNS) {
      Number v = s.get(c);
      sb.append(v instanceof Double d ? String.format(Locale.ROOT, " %7.2f", d) : String.format(Locale.ROOT, " %7d", v.longValue()));
    }
    return sb.toString();
  }
}
