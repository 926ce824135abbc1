package ai.edgeai.cli.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackCommandTest {

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Path res(String p) throws URISyntaxException {
    return Path.of(TrackCommandTest.class.getResource("/mot/" + p).toURI());
  }

  @Test
  void runSortThenEvaluateAsJson() throws Exception {
    Path pred = tmp.resolve("preds/TUD-Campus.txt");
    Run r = run("track", "run", "--det", res("sort_mot15_det/TUD-Campus/det.txt").toString(), "--out", pred.toString(),
        "--tracker", "sort");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("sort: "), r.out());
    assertTrue(Files.size(pred) > 0);
    r = run("track", "eval", "--gt", res("pymotmetrics").toString(), "--pred", tmp.resolve("preds").toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    JsonNode campus = json.get("sequences").get("TUD-Campus");
    assertEquals("62.7", String.format(Locale.ROOT, "%.1f", campus.get("MOTA").asDouble()));
    assertEquals(15, campus.get("FP").asInt());
    assertEquals(113, campus.get("FN").asInt());
    assertEquals(6, campus.get("IDSW").asInt());
    for (String k : new String[] {"MOTA", "MOTP", "IDF1", "IDP", "IDR", "HOTA", "DetA", "AssA", "FP", "FN", "IDSW",
        "Frag", "MT", "PT", "ML"}) {
      assertTrue(json.get("combined").has(k), k);
    }
  }

  @Test
  void evalPrintsTableForFiles() throws Exception {
    Run r = run("track", "eval", "--gt", res("pymotmetrics/TUD-Campus/gt.txt").toString(),
        "--pred", res("pymotmetrics/TUD-Campus/test.txt").toString(), "--benchmark", "mot15");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("TUD-Campus"), r.out());
    assertTrue(r.out().contains("52.65"), r.out());
  }

  @Test
  void byteTrackWithParams() throws Exception {
    Path pred = tmp.resolve("bt.txt");
    Run r = run("track", "run", "--det", res("sort_mot15_det/TUD-Campus/det.txt").toString(), "--out", pred.toString(),
        "--params", "maxAge=10,iouThreshold=0.3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("byte: "), r.out());
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() throws Exception {
    Path bad = tmp.resolve("bad.txt");
    Files.writeString(bad, "1,-1,10,10,5,5,0.9\n2,-1,10,x,5,5,0.9\n");
    Run r = run("track", "run", "--det", bad.toString(), "--out", tmp.resolve("o.txt").toString());
    assertEquals(1, r.code());
    assertEquals("edgeai: error: " + bad + ":2: top is not a number: 'x' in '2,-1,10,x,5,5,0.9'", r.err().strip());
    r = run("track", "run", "--det", bad.toString(), "--out", "o.txt", "--tracker", "kalman9000");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown tracker 'kalman9000'"), r.err());
    r = run("track", "run", "--det", bad.toString(), "--out", "o.txt", "--params", "maxAge=-3");
    assertEquals(2, r.code());
    r = run("track", "eval", "--gt", tmp.resolve("missing").toString(), "--pred", bad.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("edgeai: error: ground truth not found"), r.err());
    r = run("track", "eval", "--gt", bad.toString(), "--pred", bad.toString(), "--benchmark", "mot99");
    assertEquals(2, r.code());
  }
}
