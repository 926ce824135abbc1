package ai.edgeai.node;

import ai.edgeai.node.pipeline.DetectorFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/** The node as a separate process for the SIGKILL test: prints "EVENT id" after each event is in the outbox. */
public final class NodeProcessMain {
  public static void main(String[] args) throws Exception {
    var cfg = TestConfigs.parse(java.nio.file.Files.readString(Path.of(args[0])));
    String eventsTopic = cfg.mqtt().topicPrefix() + "/events";
    ObjectMapper json = new ObjectMapper();
    EdgeNode.start(cfg, DetectorFactory.builtIn(), new EdgeNode.Listener() {
      @Override
      public synchronized void published(String topic, byte[] payload) {
        if (!topic.equals(eventsTopic)) return;
        try {
          System.out.println("EVENT " + json.readTree(payload).get("event_id").asText());
          System.out.flush();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void log(String line) {
        System.out.println("LOG " + line);
        System.out.flush();
      }
    });
    Thread.currentThread().join();
  }
}
