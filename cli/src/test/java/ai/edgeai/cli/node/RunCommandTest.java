package ai.edgeai.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.CliRunner;
import ai.edgeai.cli.Main;
import ai.edgeai.cli.config.HostEnvironment;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeai run} reads one edgeai.yaml holding the CLI's sections and the node's. */
class RunCommandTest {

  @TempDir java.nio.file.Path tmp;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void oneFileCarriesTheCliAndTheNodeSections() throws Exception {
    HostEnvironment host = CliRunner.isolated(tmp);
    Files.writeString(host.workingDir().resolve("edgeai.yaml"), """
        models:
          dir: my-models
        llm:
          threads: 1
        logging:
          level: warn
        node:
          name: runtest
        cameras:
          - name: yard
            source: testpattern:objects=2,period=3
            fps: 10
            detect: {width: 320, height: 180}
            tracker: sort
            tracker_params: {max_age: 3}
        mqtt:
          topic_prefix: runtest
          embedded: {port: %d, websocket_port: 0}
        outbox:
          path: %s
        """.formatted(freePort(), tmp.resolve("outbox")));
    CliRunner.Result r = CliRunner.run(host, "run", "--duration", "4");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertTrue(r.err().contains("camera 'yard': testpattern") && r.err().contains("tracker sort"), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.contains(" new ") && l.contains("yard")), r.out() + r.err());
  }

  @Test
  void withoutAFileRunSaysWhatToWrite() {
    CliRunner.Result r = CliRunner.run(CliRunner.isolated(tmp), "run", "--duration", "1");
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.err().startsWith("edgeai: error: no configuration file: write edgeai.yaml"), r.err());
  }

  @Test
  void aCameraThatCannotStartIsAUsageErrorNamingIt() throws Exception {
    HostEnvironment host = CliRunner.isolated(tmp);
    Files.writeString(host.workingDir().resolve("edgeai.yaml"),
        "cameras:\n  - {name: door, source: /nonexistent/folder, type: images}\nmqtt: {enabled: false}\n");
    CliRunner.Result r = CliRunner.run(host, "run", "--duration", "1");
    assertEquals(Main.EXIT_USAGE, r.exit(), r.err());
    assertTrue(r.err().contains("camera 'door'"), r.err());
  }
}
