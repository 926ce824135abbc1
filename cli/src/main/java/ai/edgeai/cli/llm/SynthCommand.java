package ai.edgeai.cli.llm;

import ai.edgeai.llm.model.ModelPreset;
import ai.edgeai.llm.model.ModelSynthesizer;
import ai.edgeai.llm.tensor.GgmlType;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeai synth --preset llama-3.2-1b --type q4_0 --vocab VOCAB.gguf -o OUT.gguf}. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {"Write a GGUF with random weights in a real model's shape and a real tokenizer (for benchmarks).",
      "Presets: llama-3.2-1b, llama-3.2-3b, tinyllama-1.1b, smollm2-135m, smollm2-360m."})
public final class SynthCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--preset", required = true, paramLabel = "NAME", description = "Model shape.")
  String preset;

  @Option(names = "--type", defaultValue = "q4_0", paramLabel = "TYPE", description = "f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1 (default ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--vocab", required = true, paramLabel = "VOCAB", description = "GGUF whose tokenizer to copy (a vocabulary-only file is enough).")
  Path vocab;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "GGUF file to write.")
  Path output;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    CommandLine cmd = spec.commandLine();
    ModelPreset p;
    GgmlType t;
    try {
      p = ModelPreset.byName(preset);
      t = GgmlType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage().startsWith("unknown preset") ? e.getMessage() : "unknown --type '" + type + "'");
    }
    if (!(t == GgmlType.F32 || t == GgmlType.F16 || t == GgmlType.BF16 || t == GgmlType.Q8_0 || t == GgmlType.Q4_0
        || t == GgmlType.Q4_1 || t == GgmlType.Q5_0 || t == GgmlType.Q5_1)) {
      throw new CommandLine.ParameterException(cmd, "--type " + type + " cannot be written (use f32, f16, bf16, q8_0, q4_0, q4_1, q5_0 or q5_1)");
    }
    ModelAndTokenizer.requireFile(vocab, "vocabulary");
    long t0 = System.nanoTime();
    ModelSynthesizer.synthesize(p, t, vocab, output, seed);
    System.err.printf("wrote %s (%s, %s) in %.1f s%n", output, p.name(), t, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
