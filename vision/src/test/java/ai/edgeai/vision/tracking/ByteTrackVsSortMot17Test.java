package ai.edgeai.vision.tracking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.tracking.metrics.EvalSequence;
import ai.edgeai.vision.tracking.metrics.MotBenchmark;
import ai.edgeai.vision.tracking.metrics.MotMetrics;
import ai.edgeai.vision.tracking.mot.MotFile;
import ai.edgeai.vision.tracking.mot.MotRecord;
import ai.edgeai.vision.tracking.mot.MotTracking;
import ai.edgeai.vision.tracking.mot.SeqInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MOT17 training ground truth turned into noisy detections by {@link DetectionNoiseModel} (seeded):
 * ByteTrack must beat SORT on MOTA and IDF1, per sequence and combined. Two of the seven training
 * sequences (MOT17-05, moving camera, 837 frames; MOT17-09, static camera, 525 frames), full
 * length, keep the test to a few seconds. SORT gets the detections scoring ≥ 0.5 (a detector's
 * usual operating point; it has no use for low scores), ByteTrack gets them all, both with their
 * published settings, evaluated with MOT17 preprocessing.
 */
class ByteTrackVsSortMot17Test {

  private static final String[] SEQUENCES = {"MOT17-05", "MOT17-09"};

  @Test
  void byteTrackBeatsSortOnNoisyDetections() throws IOException {
    TrackerConfig sort = TrackerConfig.sort().with(Map.of("minScore", "0.5"));
    TrackerConfig bt = TrackerConfig.byteTrack();
    List<MotMetrics> sortAll = new ArrayList<>();
    List<MotMetrics> btAll = new ArrayList<>();
    long seed = 17;
    for (String seq : SEQUENCES) {
      Path gtFile = MotTestData.path("mot17/" + seq + "/gt.txt");
      SeqInfo info = SeqInfo.read(MotTestData.path("mot17/" + seq + "/seqinfo.ini"));
      List<MotRecord> gt = MotFile.read(gtFile);
      List<MotRecord> dets = DetectionNoiseModel.standard(seed++).apply(gt, info.seqLength(), info.imWidth(), info.imHeight());
      MotMetrics s = evaluate(seq, gt, gtFile, sort, dets, info);
      MotMetrics b = evaluate(seq, gt, gtFile, bt, dets, info);
      sortAll.add(s);
      btAll.add(b);
      System.out.println(seq + " SORT " + s.summary() + "\n" + seq + " BYTE " + b.summary());
      assertBetter(seq, s, b);
    }
    assertBetter("combined", MotMetrics.combine(sortAll), MotMetrics.combine(btAll));
  }

  private static MotMetrics evaluate(String seq, List<MotRecord> gt, Path gtFile, TrackerConfig config,
      List<MotRecord> dets, SeqInfo info) throws IOException {
    List<MotRecord> out = MotTracking.run(new KalmanTracker(config), dets, info.seqLength(), info.frameRate(), seq);
    return MotMetrics.evaluate(EvalSequence.prepare(seq, gt, gtFile.toString(), out, seq + "-" + config.association(),
        info.seqLength(), MotBenchmark.MOT17));
  }

  private static void assertBetter(String what, MotMetrics sort, MotMetrics bt) {
    double sm = sort.clear().mota(), bm = bt.clear().mota();
    double si = sort.identity().idf1(), bi = bt.identity().idf1();
    assertTrue(bm > sm, what + " MOTA: ByteTrack " + bm + " not > SORT " + sm);
    assertTrue(bi > si, what + " IDF1: ByteTrack " + bi + " not > SORT " + si);
  }
}
