package ai.edgeai.vision.tracking.mot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.tracking.MotTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotFileTest {

  @TempDir Path tmp;

  @Test
  void readsGroundTruthDetectionsAndSeqInfo() throws IOException {
    List<MotRecord> gt = MotFile.read(MotTestData.path("mot17/MOT17-09/gt.txt"));
    assertEquals(10411, gt.size());
    MotRecord first = gt.get(0);
    assertEquals(1, first.frame());
    assertEquals(1, first.id());
    assertEquals(1, first.classId());
    assertEquals(1.0, first.visibility());
    List<MotRecord> det = MotFile.read(MotTestData.path("sort_mot15_det/TUD-Campus/det.txt"));
    assertEquals(-1, det.get(0).id());
    assertEquals(0.997784, det.get(0).conf());
    SeqInfo info = SeqInfo.read(MotTestData.path("mot17/MOT17-09/seqinfo.ini"));
    assertEquals(525, info.seqLength());
    assertEquals(30, info.frameRate());
    assertEquals(1920, info.imWidth());
  }

  @Test
  void malformedLinesNameFileAndLine() throws IOException {
    Path f = tmp.resolve("bad.txt");
    Files.writeString(f, "1,1,10,10,5,5,1,-1,-1,-1\n\n2,1,abc,10,5,5\n");
    var e = assertThrows(MotFormatException.class, () -> MotFile.read(f));
    assertTrue(e.getMessage().startsWith(f + ":3: left is not a number"), e.getMessage());
    Files.writeString(f, "1,1,10,10\n");
    e = assertThrows(MotFormatException.class, () -> MotFile.read(f));
    assertTrue(e.getMessage().contains(":1: expected at least 6"), e.getMessage());
    Files.writeString(f, "0,1,10,10,5,5\n");
    e = assertThrows(MotFormatException.class, () -> MotFile.read(f));
    assertTrue(e.getMessage().contains(":1: frame must be ≥ 1"), e.getMessage());
    Files.writeString(f, "1,1,10,10,-5,5\n");
    e = assertThrows(MotFormatException.class, () -> MotFile.read(f));
    assertTrue(e.getMessage().contains(":1: negative width"), e.getMessage());
    Files.writeString(f, "1.5,1,10,10,5,5\n");
    e = assertThrows(MotFormatException.class, () -> MotFile.read(f));
    assertTrue(e.getMessage().contains(":1: frame is not an integer"), e.getMessage());
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    e = assertThrows(MotFormatException.class, () -> MotFile.read(f));
    assertTrue(e.getMessage().contains("not a text file"), e.getMessage());
  }

  @Test
  void writesWhatItReads() throws IOException {
    Path f = tmp.resolve("out/pred.txt");
    MotFile.writeTracks(f, List.of(new MotRecord(3, 7, 1.234, 2, 30.5, 60, 1, -1, -1, 0)));
    assertEquals("3,7,1.23,2.00,30.50,60.00,1,-1,-1,-1\n", Files.readString(f));
    MotRecord back = MotFile.read(f).get(0);
    assertEquals(7, back.id());
    assertEquals(30.5, back.width());
  }
}
