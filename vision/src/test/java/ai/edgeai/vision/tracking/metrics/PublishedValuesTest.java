package ai.edgeai.vision.tracking.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.vision.tracking.MotTestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The metrics against published values for py-motmetrics' TUD files (CLEAR and Identity, which
 * py-motmetrics checks against the MOTChallenge devkit) and TrackEval's HOTA on the same files.
 */
class PublishedValuesTest {

  private static Map<String, Number> evaluate(String seq) throws IOException {
    Path dir = MotTestData.path("pymotmetrics/" + seq);
    return MotChallengeEvaluation.evaluate(dir.resolve("gt.txt"), dir.resolve("test.txt"), MotBenchmark.MOT15)
        .sequences().values().iterator().next().summary();
  }

  /** Rounds as the published tables do (two decimals). */
  private static String r2(Number v) {
    return String.format(Locale.ROOT, "%.2f", v.doubleValue());
  }

  @Test
  void tudCampusMatchesPyMotMetrics() throws IOException {
    Map<String, Number> m = evaluate("TUD-Campus");
    assertEquals("52.65", r2(m.get("MOTA")));
    assertEquals("55.77", r2(m.get("IDF1")));
    assertEquals("72.97", r2(m.get("IDP")));
    assertEquals("45.13", r2(m.get("IDR")));
    assertEquals("58.2", String.format(Locale.ROOT, "%.1f", m.get("Recall").doubleValue()));
    assertEquals("94.1", String.format(Locale.ROOT, "%.1f", m.get("Precision").doubleValue()));
    assertEquals("72.28", r2(m.get("MOTP")));
    assertEquals(13L, m.get("FP"));
    assertEquals(150L, m.get("FN"));
    assertEquals(7L, m.get("IDSW"));
    assertEquals(7L, m.get("Frag"));
    assertEquals(1L, m.get("MT"));
    assertEquals(6L, m.get("PT"));
    assertEquals(1L, m.get("ML"));
  }

  @Test
  void tudStadtmitteMatchesPyMotMetrics() throws IOException {
    Map<String, Number> m = evaluate("TUD-Stadtmitte");
    assertEquals("56.40", r2(m.get("MOTA")));
    assertEquals("64.46", r2(m.get("IDF1")));
    assertEquals("65.41", r2(m.get("MOTP")));
    assertEquals(45L, m.get("FP"));
    assertEquals(452L, m.get("FN"));
    assertEquals(7L, m.get("IDSW"));
    assertEquals(6L, m.get("Frag"));
    assertEquals(5L, m.get("MT"));
    assertEquals(4L, m.get("PT"));
    assertEquals(1L, m.get("ML"));
  }

  @Test
  void hotaMatchesTrackEval() throws IOException {
    Map<String, Number> c = evaluate("TUD-Campus");
    assertEquals("39.14", r2(c.get("HOTA")));
    assertEquals("41.80", r2(c.get("DetA")));
    assertEquals("36.91", r2(c.get("AssA")));
    Map<String, Number> s = evaluate("TUD-Stadtmitte");
    assertEquals("39.78", r2(s.get("HOTA")));
    assertEquals("39.23", r2(s.get("DetA")));
    assertEquals("40.88", r2(s.get("AssA")));
  }

  @Test
  void bothSequencesCombined() throws IOException {
    // A folder of <seq>/gt.txt against a folder of <seq>.txt predictions.
    Path root = MotTestData.path("pymotmetrics");
    Path preds = java.nio.file.Files.createTempDirectory("tud-preds");
    try {
      for (String seq : new String[] {"TUD-Campus", "TUD-Stadtmitte"}) {
        java.nio.file.Files.copy(root.resolve(seq).resolve("test.txt"), preds.resolve(seq + ".txt"));
      }
      var result = MotChallengeEvaluation.evaluate(root, preds, null);
      assertEquals(MotBenchmark.MOT15, result.benchmark(), "TUD ground truth has no classes");
      assertEquals(2, result.sequences().size());
      Map<String, Number> m = result.combined().summary();
      assertEquals("55.51", r2(m.get("MOTA")));
      assertEquals("62.43", r2(m.get("IDF1")));
      assertEquals(58L, m.get("FP"));
      assertEquals(602L, m.get("FN"));
      assertEquals(14L, m.get("IDSW"));
      assertEquals(13L, m.get("Frag"));
    } finally {
      try (var s = java.nio.file.Files.walk(preds)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
