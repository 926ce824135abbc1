package ai.edgeai.cli;

import ai.edgeai.cli.llm.BenchLlmCommand;
import ai.edgeai.cli.vision.BenchVisionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code edgeai bench ...}: speed measurements (one subcommand per capability). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures speed on this machine.",
    subcommands = {BenchVisionCommand.class, BenchLlmCommand.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
