package ai.edgeai.vision.tracking.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.tracking.mot.MotRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mot17PreprocessingTest {

  @TempDir Path tmp;

  private static MotRecord gt(int frame, int id, double x, int flag, int cls) {
    return new MotRecord(frame, id, x, 0, 10, 20, flag, cls, 1, 0);
  }

  private static MotRecord pred(int frame, int id, double x) {
    return new MotRecord(frame, id, x, 0, 10, 20, 1, -1, -1, 0);
  }

  @Test
  void distractorMatchesAndIgnoredGroundTruthAreRemoved() {
    List<MotRecord> gt = List.of(
        gt(1, 1, 0, 1, 1), // pedestrian: counted
        gt(1, 2, 100, 1, 7), // static person: a tracker box on it is neither TP nor FP
        gt(1, 3, 200, 0, 1), // pedestrian flagged 0: ignored, a box on it is an FP
        gt(1, 4, 300, 1, 3)); // car: ignored, a box on it is an FP
    List<MotRecord> tr = List.of(pred(1, 1, 0), pred(1, 2, 100), pred(1, 3, 200), pred(1, 4, 300));
    var m17 = MotMetrics.evaluate(EvalSequence.prepare("s", gt, "gt", tr, "tr", 0, MotBenchmark.MOT17)).clear();
    assertEquals(1, m17.tp());
    assertEquals(0, m17.fn());
    assertEquals(2, m17.fp());
    var m15 = MotMetrics.evaluate(EvalSequence.prepare("s", gt, "gt", tr, "tr", 0, MotBenchmark.MOT15)).clear();
    assertEquals(3, m15.tp(), "MOT15 keeps every flagged box whatever its class");
    assertEquals(1, m15.fp());
  }

  @Test
  void rejectsDuplicateIdsAndUnknownClasses() {
    var e = assertThrows(IllegalArgumentException.class, () -> EvalSequence.prepare("s",
        List.of(gt(1, 1, 0, 1, 1)), "gt.txt", List.of(pred(1, 5, 0), new MotRecord(1, 5, 9, 9, 9, 9, 1, -1, -1, 4)),
        "pred.txt", 0, MotBenchmark.MOT17));
    assertTrue(e.getMessage().startsWith("pred.txt:4: tracker id 5 appears twice in frame 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EvalSequence.prepare("s",
        List.of(new MotRecord(1, 1, 0, 0, 1, 1, 1, 42, 1, 9)), "gt.txt", List.of(), "pred.txt", 0, MotBenchmark.MOT17));
    assertTrue(e.getMessage().startsWith("gt.txt:9: class 42"), e.getMessage());
  }

  @Test
  void folderLayoutsAndDetectorSuffixes() throws IOException {
    // MOTChallenge layout: <seq>/gt/gt.txt with <seq>/seqinfo.ini; predictions <seq>-<detector>.txt.
    Path gtRoot = tmp.resolve("gt");
    Path seq = Files.createDirectories(gtRoot.resolve("SEQ-01/gt"));
    Files.writeString(seq.resolve("gt.txt"), "1,1,0,0,10,20,1,1,1\n2,1,1,0,10,20,1,1,1\n3,1,2,0,10,20,1,1,1\n");
    Files.writeString(gtRoot.resolve("SEQ-01/seqinfo.ini"), "[Sequence]\nname=SEQ-01\nseqLength=2\n");
    Path preds = Files.createDirectories(tmp.resolve("pred"));
    Files.writeString(preds.resolve("SEQ-01-DPM.txt"), "1,4,0,0,10,20,1,-1,-1,-1\n2,4,1,0,10,20,1,-1,-1,-1\n");
    Files.writeString(preds.resolve("SEQ-01-FRCNN.txt"), "1,4,0,0,10,20,1,-1,-1,-1\n");
    var r = MotChallengeEvaluation.evaluate(gtRoot, preds, null);
    assertEquals(MotBenchmark.MOT17, r.benchmark());
    assertEquals(List.of("SEQ-01-DPM", "SEQ-01-FRCNN"), List.copyOf(r.sequences().keySet()));
    // seqLength 2: frame 3 of the ground truth is outside the sequence.
    assertEquals(100.0, r.sequences().get("SEQ-01-DPM").clear().mota() * 100);
    assertEquals(1, r.sequences().get("SEQ-01-FRCNN").clear().fn());
    assertEquals(1, r.combined().clear().fn());
    Files.writeString(preds.resolve("OTHER.txt"), "1,4,0,0,10,20\n");
    var e = assertThrows(IOException.class, () -> MotChallengeEvaluation.evaluate(gtRoot, preds, null));
    assertTrue(e.getMessage().contains("no ground truth for prediction"), e.getMessage());
  }
}
