package ai.edgeai.vision.tracking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the TUD sequences every public detection scores ≥ 0.5, so ByteTrack's low-score round has
 * little to add; it must at least not be worse than SORT on MOTA and IDF1.
 */
class ByteTrackVsSortTudTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"TUD-Campus", "TUD-Stadtmitte"})
  void byteTrackIsNotWorseThanSort(String seq) throws IOException {
    Map<String, Number> sort = SortReproductionTest.track(seq, TrackerConfig.sort(), tmp);
    Map<String, Number> bt = SortReproductionTest.track(seq, TrackerConfig.byteTrack(), tmp);
    System.out.println(seq + " SORT " + sort + "\n" + seq + " BYTE " + bt);
    assertTrue(bt.get("MOTA").doubleValue() >= sort.get("MOTA").doubleValue(),
        seq + " MOTA: ByteTrack " + bt.get("MOTA") + " < SORT " + sort.get("MOTA"));
    assertTrue(bt.get("IDF1").doubleValue() >= sort.get("IDF1").doubleValue(),
        seq + " IDF1: ByteTrack " + bt.get("IDF1") + " < SORT " + sort.get("IDF1"));
  }
}
