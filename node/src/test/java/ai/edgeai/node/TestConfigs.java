package ai.edgeai.node;

import ai.edgeai.node.config.NodeConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;

/** YAML configurations for the node tests. */
final class TestConfigs {
  private TestConfigs() {}

  static String yaml(String prefix, int port, Path outbox, String cameraYaml, String extraMqtt) {
    return """
        node:
          name: testnode
          stats_interval_seconds: 1
        cameras:
        %s
        mqtt:
          host: 127.0.0.1
          port: %d
          topic_prefix: %s
          client_id: %s-node
        %s
        outbox:
          path: %s
          fsync: batch
        """.formatted(cameraYaml.indent(2).stripTrailing(), port, prefix, prefix,
        extraMqtt == null ? "" : extraMqtt.indent(2).stripTrailing(), outbox.toAbsolutePath());
  }

  static String testPatternCamera(String name) {
    return """
        - name: %s
          source: testpattern:objects=3,period=3
          fps: 10
          detect: {width: 320, height: 180}
          detector: testpattern
          zones:
            - name: right
              polygon: [[0.5, 0], [1, 0], [1, 1], [0.5, 1]]
        """.formatted(name);
  }

  /**
   * The node sections of edgeai.yaml as the records read them. The file itself is read by the CLI's
   * one strict loader (ai.edgeai.cli.config.ConfigLoader, tested there); the node only gets records,
   * so its tests map their YAML with the same naming and strictness settings.
   */
  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  static NodeConfig parse(String yaml) {
    try {
      return YAML.readValue(yaml, NodeConfig.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("test config: " + e.getMessage(), e);
    }
  }
}
