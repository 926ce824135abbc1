package ai.edgeai.cli.config;

import ai.edgeai.node.config.CameraConfig;
import ai.edgeai.node.config.IdentitiesConfig;
import ai.edgeai.node.config.MqttConfig;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.config.OutboxConfig;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole {@code edgeai.yaml}: one record per top-level section. A section that is absent from
 * the file gets its defaults. The CLI's own sections ({@code models}, {@code llm},
 * {@code logging}) live in this package; the edge node's ({@code node}, {@code cameras},
 * {@code mqtt}, {@code outbox}, {@code http}, {@code identities}) are the node module's records,
 * handed to it as one {@link NodeConfig} by {@link #node()}.
 *
 * <p>To add a section: write a record validated in its compact constructor, add it as a
 * component here and to {@link #of}, and document its keys in {@code docs/configuration.md}.
 * Unknown keys are rejected automatically.
 */
public record EdgeaiConfig(
    ModelsConfig models, LlmConfig llm, LoggingConfig logging, NodeConfig node) {

  public EdgeaiConfig {
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(llm, "llm");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(node, "node");
  }

  /** All defaults; {@code models.dir} is left to {@link #withDefaultsResolved}. */
  public static EdgeaiConfig defaults() {
    return of(null, null, null, null, null, null, null, null, null);
  }

  @JsonCreator
  static EdgeaiConfig of(
      @JsonProperty("models") ModelsConfig models,
      @JsonProperty("llm") LlmConfig llm,
      @JsonProperty("logging") LoggingConfig logging,
      @JsonProperty("node") NodeConfig.NodeSection node,
      @JsonProperty("cameras") List<CameraConfig> cameras,
      @JsonProperty("mqtt") MqttConfig mqtt,
      @JsonProperty("outbox") OutboxConfig outbox,
      @JsonProperty("http") NodeConfig.HttpConfig http,
      @JsonProperty("identities") IdentitiesConfig identities) {
    return new EdgeaiConfig(
        models != null ? models : ModelsConfig.DEFAULT,
        llm != null ? llm : LlmConfig.DEFAULT,
        logging != null ? logging : LoggingConfig.DEFAULT,
        new NodeConfig(node, cameras, mqtt, outbox, http, identities));
  }

  /** Section {@code mqtt}: the broker the node publishes to (and {@code doctor} checks). */
  public MqttConfig mqtt() {
    return node.mqtt();
  }

  /**
   * Makes every path absolute: relative paths are taken relative to {@code baseDir} (the config
   * file's folder), {@code ~/} means the home folder, and an unset models folder becomes
   * {@code defaultModelsDir}.
   */
  EdgeaiConfig withDefaultsResolved(Path baseDir, Path home, Path defaultModelsDir) {
    Path dir = models.dir() == null ? defaultModelsDir : resolve(models.dir(), baseDir, home);
    return new EdgeaiConfig(new ModelsConfig(dir.toAbsolutePath().normalize()), llm, logging, node);
  }

  private static Path resolve(Path p, Path baseDir, Path home) {
    String s = p.toString();
    if (s.equals("~")) return home;
    if (s.startsWith("~/")) return home.resolve(s.substring(2));
    return baseDir.resolve(p);
  }
}
