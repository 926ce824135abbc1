package ai.edgeai.vision.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.vision.tracking.metrics.EvalSequence;
import ai.edgeai.vision.tracking.metrics.MotBenchmark;
import ai.edgeai.vision.tracking.metrics.MotMetrics;
import ai.edgeai.vision.tracking.mot.MotFile;
import ai.edgeai.vision.tracking.mot.MotRecord;
import ai.edgeai.vision.tracking.mot.MotTracking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our SORT with SORT's published settings reproduces SORT's published TUD-Campus row. */
class SortReproductionTest {

  @TempDir Path tmp;

  static Map<String, Number> track(String seq, TrackerConfig config, Path tmp) throws IOException {
    Path det = MotTestData.path("sort_mot15_det/" + seq + "/det.txt");
    Path gt = MotTestData.path("pymotmetrics/" + seq + "/gt.txt");
    List<MotRecord> out = MotTracking.run(new KalmanTracker(config), MotFile.read(det), 0, 25, det.toString());
    // Written and read back, so the numbers are those of the 2-decimal file a user would submit.
    Path pred = tmp.resolve(seq + "-" + config.association() + ".txt");
    MotFile.writeTracks(pred, out);
    List<MotRecord> gtRecords = MotFile.read(gt);
    EvalSequence s = EvalSequence.prepare(seq, gtRecords, gt.toString(), MotFile.read(pred), pred.toString(), 0,
        MotBenchmark.MOT15);
    return MotMetrics.evaluate(s).summary();
  }

  @Test
  void sortOnTudCampusMatchesPublishedRow() throws IOException {
    Map<String, Number> m = track("TUD-Campus", TrackerConfig.sort(), tmp);
    assertEquals("62.7", String.format(Locale.ROOT, "%.1f", m.get("MOTA").doubleValue()));
    assertEquals("73.7", String.format(Locale.ROOT, "%.1f", m.get("MOTP").doubleValue()));
    assertEquals(15L, m.get("FP"));
    assertEquals(113L, m.get("FN"));
    assertEquals(6L, m.get("IDSW"));
    assertEquals(9L, m.get("Frag"));
    assertEquals(6L, m.get("MT"));
    assertEquals(2L, m.get("PT"));
    assertEquals(0L, m.get("ML"));
  }
}
