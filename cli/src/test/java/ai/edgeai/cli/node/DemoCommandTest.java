package ai.edgeai.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @TempDir Path tmp;

  @Test
  void demoShowsEventsWithin30Seconds() {
    StringWriter out = new StringWriter(), err = new StringWriter();
    long t0 = System.nanoTime();
    int code = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute("demo", "--duration", "12", "--work-dir", tmp.toString());
    assertEquals(0, code, err.toString());
    assertTrue((System.nanoTime() - t0) / 1e9 < 30);
    String o = out.toString();
    assertTrue(o.lines().anyMatch(l -> l.contains(" new ") && l.contains("synthetic") && l.contains("event_id=")), o + err);
    assertTrue(o.lines().anyMatch(l -> l.contains("camera photos online")), o);
    // real models on the bundled media: faces (UltraFace) and objects (YOLOX-nano)
    assertTrue(o.lines().anyMatch(l -> l.matches(".* new +face +photos .*")), "a face on the portraits: " + o);
    assertTrue(o.lines().anyMatch(l -> l.matches(".* new +person +people .*")), "a person on the portraits: " + o);
    if (ai.edgeai.node.source.Sources.findFfmpeg() != null) {
      // the Big Buck Bunny excerpt shows a bird for ~4.5 s of its 8
      assertTrue(o.lines().anyMatch(l -> l.matches(".* new +bird +video .*")), "the bird in the video: " + o);
    } else {
      assertTrue(err.toString().contains("no ffmpeg: the video camera is left out"), err.toString());
    }
    assertTrue(err.toString().contains("MQTT 3.1.1"), "connected to the embedded broker: " + err);
  }

  @Test
  void configTypoIsAUsageErrorNamingTheKey() throws Exception {
    Path cfg = tmp.resolve("edgeai.yaml");
    Files.writeString(cfg, "cameras:\n  - name: a\n    source: testpattern\n    fsp: 5\n");
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("run", "--config", cfg.toString());
    assertEquals(Main.EXIT_USAGE, code);
    assertTrue(err.toString().startsWith("edgeai: error: " + cfg + ": cameras[0].fsp: unknown key"), err.toString());
  }
}
