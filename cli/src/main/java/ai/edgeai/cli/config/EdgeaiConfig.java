package ai.edgeai.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The whole {@code edgeai.yaml}: one record per top-level section. A section that is absent from
 * the file gets its defaults.
 *
 * <p>To add a section (cameras, outbox, http...): write a record like {@link MqttConfig} with a
 * {@code DEFAULT}, add it as a component here and to {@link #of}, and document its keys in
 * {@code docs/configuration.md}. Unknown keys are rejected automatically.
 */
public record EdgeaiConfig(
    ModelsConfig models, LlmConfig llm, LoggingConfig logging, MqttConfig mqtt) {

  public EdgeaiConfig {
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(llm, "llm");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(mqtt, "mqtt");
  }

  /** All defaults; {@code models.dir} is left to {@link #withDefaultsResolved}. */
  public static EdgeaiConfig defaults() {
    return of(null, null, null, null);
  }

  @JsonCreator
  static EdgeaiConfig of(
      @JsonProperty("models") ModelsConfig models,
      @JsonProperty("llm") LlmConfig llm,
      @JsonProperty("logging") LoggingConfig logging,
      @JsonProperty("mqtt") MqttConfig mqtt) {
    return new EdgeaiConfig(
        models != null ? models : ModelsConfig.DEFAULT,
        llm != null ? llm : LlmConfig.DEFAULT,
        logging != null ? logging : LoggingConfig.DEFAULT,
        mqtt != null ? mqtt : MqttConfig.DEFAULT);
  }

  /**
   * Makes every path absolute: relative paths are taken relative to {@code baseDir} (the config
   * file's folder), {@code ~/} means the home folder, and an unset models folder becomes
   * {@code defaultModelsDir}.
   */
  EdgeaiConfig withDefaultsResolved(Path baseDir, Path home, Path defaultModelsDir) {
    Path dir = models.dir() == null ? defaultModelsDir : resolve(models.dir(), baseDir, home);
    return new EdgeaiConfig(new ModelsConfig(dir.toAbsolutePath().normalize()), llm, logging, mqtt);
  }

  private static Path resolve(Path p, Path baseDir, Path home) {
    String s = p.toString();
    if (s.equals("~")) return home;
    if (s.startsWith("~/")) return home.resolve(s.substring(2));
    return baseDir.resolve(p);
  }
}
