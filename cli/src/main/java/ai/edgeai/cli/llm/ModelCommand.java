package ai.edgeai.cli.llm;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgeai model}: facts about model files. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Inspect model files.",
    subcommands = {ModelInfoCommand.class})
public final class ModelCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try 'edgeai model info MODEL')");
  }
}
