package ai.edgeai.cli.node;

import ai.edgeai.node.Demo;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.source.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgeai demo}: no broker, camera or network needed. Starts the embedded broker and cameras
 * on bundled media (see {@link Demo}): face detection on public-domain portraits, object detection
 * on the same portraits and, with ffmpeg, on a Big Buck Bunny excerpt; prints and publishes the events.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the edge node with an embedded MQTT broker and bundled media; prints the events.")
public final class DemoCommand implements Callable<Integer> {

  static final Demo.Detectors DETECTORS = new Demo.Detectors("ultraface-320", "yolox-nano");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.ParentCommand ai.edgeai.cli.Main main;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this many seconds (default: until Ctrl-C)")
  Double duration;

  @Option(names = "--video", paramLabel = "FILE", description = "play this video file as the 'video' camera instead of the bundled excerpt (needs ffmpeg)")
  Path video;

  @Option(names = "--no-video", description = "leave the 'video' camera out even when ffmpeg is installed")
  boolean noVideo;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "folder for the extracted media and the outbox (default: a temporary folder)")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Path work = workDir != null ? workDir : Files.createTempDirectory("edgeai-demo");
    boolean ffmpeg = Sources.findFfmpeg() != null;
    if (video != null && !ffmpeg) {
      err.println("edgeai: error: --video needs ffmpeg, which is not installed (apt-get install --no-install-recommends ffmpeg)");
      return ai.edgeai.cli.Main.EXIT_USAGE;
    }
    boolean withVideo = ffmpeg && !noVideo;
    NodeConfig cfg = Demo.config(work, video, withVideo, DETECTORS);
    var mqtt = cfg.mqtt().embedded();
    err.println("edgeai: demo: broker mqtt://" + mqtt.host() + ":" + mqtt.port() + " (WebSocket ws://" + mqtt.host() + ":"
        + mqtt.websocketPort() + "/mqtt); watch with: mosquitto_sub -p " + mqtt.port() + " -t 'edgeai/#' -v");
    err.println("edgeai: demo: cameras: synthetic -> testpattern (colour boxes, not a model); photos -> "
        + DETECTORS.faces() + " (faces); people -> " + DETECTORS.objects() + " (objects on the same portraits)"
        + (withVideo ? "; video -> " + DETECTORS.objects() + " (" + (video != null ? video : "Big Buck Bunny excerpt, CC-BY 3.0 Blender Foundation") + ")"
            : ffmpeg ? "" : "; no ffmpeg: the video camera is left out"));
    return RunCommand.runNode(cfg, RunCommand.detectors(main.config().config().models().dir()), duration, false, out, err);
  }
}
