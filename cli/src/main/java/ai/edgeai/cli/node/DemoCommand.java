package ai.edgeai.cli.node;

import ai.edgeai.node.Demo;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.pipeline.DetectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgeai demo}: no broker, camera or network needed. Starts the embedded broker, a synthetic
 * camera and a camera playing the bundled public-domain photos (and a video with {@code --video},
 * through ffmpeg), prints the events and publishes them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the edge node with an embedded MQTT broker and bundled media; prints the events.")
public final class DemoCommand implements Callable<Integer>, ai.edgeai.cli.Main.OwnConfiguration {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this many seconds (default: until Ctrl-C)")
  Double duration;

  @Option(names = "--video", paramLabel = "FILE", description = "also play this video file as a camera (needs ffmpeg)")
  Path video;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "folder for the extracted photos and the outbox (default: a temporary folder)")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Path work = workDir != null ? workDir : Files.createTempDirectory("edgeai-demo");
    // The bundled portraits (and a video, when given) run the face detector shipped in models/.
    String photoDetector = "ultraface-320";
    NodeConfig cfg = Demo.config(work, video, photoDetector);
    var mqtt = cfg.mqtt().embedded();
    err.println("edgeai: demo: broker mqtt://" + mqtt.host() + ":" + mqtt.port() + " (WebSocket ws://" + mqtt.host() + ":"
        + mqtt.websocketPort() + "/mqtt); watch with: mosquitto_sub -p " + mqtt.port() + " -t 'edgeai/#' -v");
    err.println("edgeai: demo: detectors: synthetic camera -> testpattern (colour boxes, not a model); photos"
        + (video != null ? "/video" : "") + " -> " + photoDetector + " (ONNX Runtime)");
    return RunCommand.runNode(cfg, RunCommand.detectors(), duration, false, out, err);
  }
}
