package ai.edgeai.cli.llm;

import ai.edgeai.llm.gguf.GgufQuantizer;
import ai.edgeai.llm.tensor.GgmlType;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edgeai quantize IN.gguf OUT.gguf --type q8_0}: re-encodes a GGUF model's weights. */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = {
      "Quantize a GGUF model: every float matrix whose rows fit the block size becomes TYPE;",
      "norms and matrices with other row lengths stay as they are. Bit-identical to ggml's reference quantizers."
    })
public final class QuantizeCommand implements Callable<Integer> {

  static final String TYPES = "q8_0, q4_0, q4_1, q5_0, q5_1, f16, bf16";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN.gguf", description = "Input model.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUT.gguf", description = "Output model (may be IN.gguf; replaced at the end).")
  Path output;

  @Option(names = "--type", required = true, paramLabel = "TYPE", converter = TypeConverter.class,
      description = "Target type: " + TYPES + ".")
  GgmlType type;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    GgufQuantizer.Result r = GgufQuantizer.quantize(input, output, type);
    spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d tensors to %s, %d kept; tensor data %.1f MiB -> %.1f MiB in %.1f s%n",
        output, r.converted(), type, r.kept(), r.inputBytes() / 1048576.0, r.outputBytes() / 1048576.0,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** Lower- or upper-case type names; anything else is a usage error (exit 2). */
  static final class TypeConverter implements ITypeConverter<GgmlType> {
    @Override
    public GgmlType convert(String value) {
      GgmlType t;
      try {
        t = GgmlType.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        t = null;
      }
      if (t == null || !GgufQuantizer.supportsTarget(t) || t == GgmlType.F32) {
        throw new TypeConversionException("unknown quantization type '" + value + "' (expected one of: " + TYPES + ")");
      }
      return t;
    }
  }
}
