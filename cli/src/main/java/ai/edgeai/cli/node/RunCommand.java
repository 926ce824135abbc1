package ai.edgeai.cli.node;

import ai.edgeai.cli.Main;
import ai.edgeai.node.EdgeNode;
import ai.edgeai.cli.config.LoadedConfig;
import ai.edgeai.node.config.NodeConfig;
import ai.edgeai.node.mqtt.MqttConnectException;
import ai.edgeai.node.pipeline.DetectorFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edgeai run}: the edge node from {@code edgeai.yaml} until interrupted. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the edge node: cameras -> detection -> tracking -> MQTT events (with a disk outbox).")
public final class RunCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.ParentCommand ai.edgeai.cli.Main main;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this many seconds (default: until Ctrl-C)")
  Double duration;


  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    LoadedConfig loaded = main.config();
    if (loaded.source().isEmpty()) {
      err.println("edgeai: error: no configuration file: write edgeai.yaml (docs/configuration.md) in this folder or "
          + "~/.config/edgeai/, or pass --config FILE");
      return Main.EXIT_USAGE;
    }
    NodeConfig cfg = loaded.config().node();
    return runNode(cfg, detectors(loaded.config().models().dir()), duration, main.options().quiet(), out, err);
  }

  /** Starts the node, waits for Ctrl-C or the duration, stops it. Shared with {@code demo}. */
  static int runNode(NodeConfig cfg, DetectorFactory detectors, Double duration, boolean quiet,
      java.io.PrintWriter out, java.io.PrintWriter err) throws Exception {
    // Moquette logs every packet at INFO; the node reports what matters itself.
    if (System.getProperty("org.slf4j.simpleLogger.log.io.moquette") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.moquette", "error");
    }
    EventPrinter printer = new EventPrinter(quiet ? new java.io.PrintWriter(java.io.Writer.nullWriter()) : out, err,
        cfg.mqtt().topicPrefix());
    EdgeNode node;
    try {
      node = EdgeNode.start(cfg, detectors, printer);
    } catch (IllegalArgumentException | MqttConnectException e) {
      err.println("edgeai: error: " + e.getMessage());
      return e instanceof IllegalArgumentException ? Main.EXIT_USAGE : Main.EXIT_FAILURE;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      node.close();
      stop.countDown();
    }, "edgeai-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (duration == null) {
      stop.await();
    } else {
      stop.await((long) (duration * 1000), TimeUnit.MILLISECONDS);
      Runtime.getRuntime().removeShutdownHook(hook);
      node.close();
    }
    return Main.EXIT_OK;
  }

  /**
   * The vision module's ONNX models, looked for in the configured {@code models.dir} and where
   * {@code edgeai detect} looks, plus the built-in detectors.
   */
  static DetectorFactory detectors(Path modelsDir) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(modelsDir);
    for (Path p : new ai.edgeai.cli.vision.VisionOptions().modelDirs()) if (!dirs.contains(p)) dirs.add(p);
    return new ai.edgeai.node.pipeline.VisionDetectors(dirs, ai.edgeai.vision.onnx.SessionConfig.defaults());
  }
}
