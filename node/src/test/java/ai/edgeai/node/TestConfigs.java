package ai.edgeai.node;

import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.config.NodeConfigLoader;
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

  static NodeConfig parse(String yaml) {
    return NodeConfigLoader.parse(yaml, "test.yaml");
  }
}
