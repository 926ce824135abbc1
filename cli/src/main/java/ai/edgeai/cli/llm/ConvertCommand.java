package ai.edgeai.cli.llm;

import ai.edgeai.llm.model.Llama2cConverter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeai convert --from llama2c MODEL.bin --tokenizer TOK.bin -o OUT.gguf}. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = "Convert a model to GGUF (F32).")
public final class ConvertCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FORMAT", description = "Source format: llama2c.")
  String from;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model to convert.")
  Path model;

  @Option(names = "--tokenizer", required = true, paramLabel = "TOK", description = "llama2.c tokenizer.bin.")
  Path tokenizer;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "GGUF file to write.")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!from.equals("llama2c")) throw new CommandLine.ParameterException(spec.commandLine(), "--from must be 'llama2c', got '" + from + "'");
    ModelAndTokenizer.requireFile(model, "model");
    ModelAndTokenizer.requireFile(tokenizer, "tokenizer");
    Llama2cConverter.convert(model, tokenizer, output);
    System.err.println("wrote " + output);
    return 0;
  }
}
