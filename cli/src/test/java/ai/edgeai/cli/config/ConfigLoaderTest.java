package ai.edgeai.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.config.NodeConfig;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path tmp;
  Path work;
  Path home;
  HostEnvironment host;

  @BeforeEach
  void setUp() throws IOException {
    work = Files.createDirectories(tmp.resolve("work"));
    home = Files.createDirectories(tmp.resolve("home"));
    host = new HostEnvironment(work, home, Map.of());
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "f.yaml"))
        .getMessage();
  }

  @Test
  void withoutAnyFileEverythingIsDefault() {
    LoadedConfig loaded = ConfigLoader.load(null, host);
    assertEquals(Optional.empty(), loaded.source());
    EdgeaiConfig c = loaded.config();
    assertEquals(home.resolve(".local/share/edgeai/models"), c.models().dir());
    assertEquals(0, c.llm().threads());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.llm().effectiveThreads());
    assertEquals(LoggingConfig.Level.INFO, c.logging().level());
    assertTrue(c.mqtt().useEmbeddedBroker(), "no mqtt.host: the node's embedded broker");
    assertEquals(1883, c.mqtt().embedded().port());
    assertEquals(List.of(), c.node().cameras());
  }

  @Test
  void xdgVariablesMoveTheUserFolders() throws IOException {
    Path xdgConfig = Files.createDirectories(tmp.resolve("xdg-config/edgeai"));
    Files.writeString(xdgConfig.resolve("edgeai.yaml"), "llm:\n  threads: 3\n");
    HostEnvironment xdg = new HostEnvironment(work, home, Map.of(
        "XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(),
        "XDG_DATA_HOME", tmp.resolve("xdg-data").toString()));
    LoadedConfig loaded = ConfigLoader.load(null, xdg);
    assertEquals(Optional.of(xdgConfig.resolve("edgeai.yaml")), loaded.source());
    assertEquals(3, loaded.config().llm().threads());
    assertEquals(tmp.resolve("xdg-data/edgeai/models"), loaded.config().models().dir());
  }

  @Test
  void relativeXdgValuesAreIgnoredAsTheSpecSays() {
    HostEnvironment rel = new HostEnvironment(work, home, Map.of("XDG_DATA_HOME", "data"));
    assertEquals(home.resolve(".local/share/edgeai/models"), rel.defaultModelsDir());
  }

  @Test
  void searchOrderIsExplicitThenWorkingDirThenUserFolder() throws IOException {
    Path user = Files.createDirectories(home.resolve(".config/edgeai")).resolve("edgeai.yaml");
    Files.writeString(user, "llm:\n  threads: 1\n");
    assertEquals(1, ConfigLoader.load(null, host).config().llm().threads());

    Path local = Files.writeString(work.resolve("edgeai.yaml"), "llm:\n  threads: 2\n");
    LoadedConfig fromWork = ConfigLoader.load(null, host);
    assertEquals(Optional.of(local), fromWork.source());
    assertEquals(2, fromWork.config().llm().threads());

    Path explicit = Files.writeString(tmp.resolve("other.yaml"), "llm:\n  threads: 3\n");
    assertEquals(3, ConfigLoader.load(explicit, host).config().llm().threads());
    // A relative --config is relative to the working directory.
    Files.writeString(work.resolve("rel.yaml"), "llm:\n  threads: 4\n");
    assertEquals(4, ConfigLoader.load(Path.of("rel.yaml"), host).config().llm().threads());
  }

  @Test
  void relativeModelsDirIsRelativeToTheConfigFileAndTildeIsHome() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    Path f = Files.writeString(dir.resolve("c.yaml"), "models:\n  dir: ../models\n");
    assertEquals(tmp.resolve("models"), ConfigLoader.load(f, host).config().models().dir());
    Files.writeString(f, "models:\n  dir: ~/m\n");
    assertEquals(home.resolve("m"), ConfigLoader.load(f, host).config().models().dir());
    Files.writeString(f, "models:\n  dir: /srv/models\n");
    assertEquals(Path.of("/srv/models"), ConfigLoader.load(f, host).config().models().dir());
  }

  @Test
  void emptyFileOrOnlyCommentsMeansDefaults() {
    assertEquals(EdgeaiConfig.defaults(), ConfigLoader.parse("", "f.yaml"));
    assertEquals(EdgeaiConfig.defaults(), ConfigLoader.parse("# nothing yet\n", "f.yaml"));
  }

  @Test
  void everySectionIsRead() {
    EdgeaiConfig c = ConfigLoader.parse("""
        models:
          dir: /m
        llm:
          threads: 6
        logging:
          level: DEBUG
        mqtt:
          host: broker.local
          port: 8883
        """, "f.yaml");
    assertEquals(Path.of("/m"), c.models().dir());
    assertEquals(6, c.llm().threads());
    assertEquals(LoggingConfig.Level.DEBUG, c.logging().level());
    assertEquals("broker.local", c.mqtt().host());
    assertEquals(8883, c.mqtt().port());
    assertFalse(c.mqtt().useEmbeddedBroker());
  }

  @Test
  void wrongTypesNameTheKeyPathAndWhatWasExpected() {
    assertEquals("f.yaml: mqtt.port: expected an integer, got \"abc\"",
        error("mqtt:\n  port: abc\n"));
    assertEquals("f.yaml: mqtt.port: expected an integer, got \"1883\"",
        error("mqtt:\n  port: \"1883\"\n"));
    assertEquals("f.yaml: llm.threads: expected an integer, got 2.5",
        error("llm:\n  threads: 2.5\n"));
    assertEquals("f.yaml: llm.threads: expected an integer, got a list",
        error("llm:\n  threads: [1, 2]\n"));
    assertEquals("f.yaml: llm: expected a mapping of keys (a section), got 3", error("llm: 3\n"));
    assertEquals("f.yaml: logging.level: expected one of error, warn, info, debug, trace, "
        + "got \"loud\"", error("logging:\n  level: loud\n"));
    assertEquals("f.yaml: expected a mapping of sections (like 'mqtt:'), got \"hello\"",
        error("hello\n"));
    assertEquals("f.yaml: expected a mapping of sections (like 'mqtt:'), got a list",
        error("- a\n- b\n"));
  }

  @Test
  void unknownKeysAreRejectedWithTheirFullPath() {
    String m = error("mqtt:\n  prot: 1\n");
    assertTrue(m.startsWith("f.yaml: mqtt.prot: unknown key (known keys here: ") && m.contains("port"), m);
    assertEquals("f.yaml: camera: unknown key (known keys here: cameras, http, identities, llm, logging, models, "
        + "mqtt, node, outbox)", error("camera:\n  url: rtsp://x\n"));
  }

  @Test
  void invalidValuesNameTheKey() {
    assertEquals("f.yaml: mqtt.port out of range: 70000", error("mqtt:\n  port: 70000\n"));
    assertEquals("f.yaml: llm.threads: must be between 0 (one per core) and 1024, got -2",
        error("llm:\n  threads: -2\n"));
    assertEquals("f.yaml: models.dir: must not be empty", error("models:\n  dir: ''\n"));
  }

  @Test
  void malformedYamlAndDuplicateKeysAreRejectedWithTheLine() {
    assertEquals("f.yaml: malformed YAML: expected ',' or ']', but got <stream end> "
        + "(line 2, column 1)", error("mqtt: [1\n"));
    assertEquals("f.yaml: malformed YAML: duplicate key 'port' (line 3)",
        error("mqtt:\n  port: 1\n  port: 2\n"));
  }

  @Test
  void unreadableFilesAreNamed() throws IOException {
    Path missing = tmp.resolve("missing.yaml");
    assertEquals("cannot read config file " + missing + ": no such file",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, host)).getMessage());
    assertEquals("cannot read config file " + tmp + ": it is a directory",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(tmp, host)).getMessage());
    Path latin1 = Files.write(tmp.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});
    assertEquals("cannot read config file " + latin1 + ": not valid UTF-8",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(latin1, host)).getMessage());
  }

  @Test
  void theExampleInTheDocumentationIsValid() throws IOException {
    // Surefire runs in the module folder; the docs live at the repository root.
    String doc = Files.readString(Path.of("../docs/configuration.md"));
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertTrue(m.find(), "docs/configuration.md has a ```yaml example");
    EdgeaiConfig parsed = ConfigLoader.parse(m.group(1), "docs/configuration.md");
    // the CLI's sections and the node's, from one file
    assertEquals(LoggingConfig.Level.INFO, parsed.logging().level());
    NodeConfig node = parsed.node();
    assertEquals("garage-pi", node.node().name());
    assertEquals(5, node.cameras().size());
    CameraConfig driveway = node.cameras().getFirst();
    assertEquals("driveway", driveway.zones().getFirst().name());
    assertEquals("yolox-nano", driveway.detector());
    assertEquals("bytetrack", driveway.tracker());
    assertEquals(50, ((Number) driveway.trackerParams().get("max_age")).intValue());
    assertEquals("sort", node.cameras().get(1).tracker());
    assertEquals(3.0, node.cameras().get(4).imageSeconds());
    assertEquals("192.168.1.5", parsed.mqtt().host());
    assertTrue(parsed.mqtt().homeassistant().enabled());
    assertEquals("batch", node.outbox().fsync());
    assertTrue(node.http().enabled());
    assertTrue(node.identities().enabled());
    assertEquals("osnet", node.identities().reidModel());
    assertEquals(1, node.identities().topology().size());
  }
}
