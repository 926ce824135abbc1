package ai.edgeai.cli.track;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgeai track}: run a tracker on MOTChallenge detections, evaluate tracker output. */
@Command(
    name = "track",
    mixinStandardHelpOptions = true,
    description = "Multi-object tracking on MOTChallenge files: run a tracker, evaluate results.",
    subcommands = {TrackRunCommand.class, TrackEvalCommand.class})
public final class TrackCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
