package ai.edgeai.cli.llm;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.generate.GenerationResult;
import ai.edgeai.llm.generate.Generator;
import ai.edgeai.llm.generate.RuncGeneration;
import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.llm.tokenizer.EncodeOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeai generate}: stream a continuation of a prompt. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate text with a GGUF model or a llama2.c checkpoint.",
      "Text streams to stdout; prompt and generation speed go to stderr."
    })
public final class GenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF file or llama2.c checkpoint (.bin).")
  Path model;

  @Option(names = "--tokenizer", paramLabel = "TOKENIZER", description = "llama2.c tokenizer.bin (required for .bin checkpoints).")
  Path tokenizer;

  @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = "", description = "Prompt (default: empty).")
  String prompt;

  @Option(names = {"-n", "--n-predict"}, paramLabel = "N",
      description = "New tokens to generate (default 256). With --compat runc: positions including the prompt, as run.c's -n (default 256, 0 = context length).")
  Integer n;

  @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "Context length (default: what the model file declares, at most 4096).")
  Integer ctxSize;

  @Option(names = {"-t", "--temperature"}, paramLabel = "X", description = "Temperature; 0 is greedy (default 0.8; run.c mode 1.0).")
  Float temperature;

  @Option(names = "--top-p", paramLabel = "X", description = "Nucleus sampling threshold (default 0.95; run.c mode 0.9).")
  Float topP;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "Top-k (0 = off; default ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--min-p", paramLabel = "X", defaultValue = "0.05", description = "Min-p (0 = off; default ${DEFAULT-VALUE}).")
  float minP;

  @Option(names = "--repeat-penalty", paramLabel = "X", defaultValue = "1.0", description = "Repetition penalty (1 = off; default ${DEFAULT-VALUE}).")
  float repeatPenalty;

  @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64", description = "Tokens the repetition penalty looks back on (default ${DEFAULT-VALUE}).")
  int repeatLastN;

  @Option(names = {"-s", "--seed"}, paramLabel = "S", description = "Random seed (default: the current time).")
  Long seed;

  @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
  List<String> stop = new ArrayList<>();

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--f16-kv", description = "Keep the KV cache in F16 (half the memory).")
  boolean f16Kv;

  @Option(names = "--compat", paramLabel = "MODE", description = "'runc': behave and print exactly like llama2.c's run.c. 'llamacpp': replay llama.cpp's CPU float order (logits bit-identical to its AVX-512 build; slower).")
  String compat;

  @Option(names = "--exact-prefill", description = "Run the prompt on the decode kernels' exact order (the logits of feeding it token by token; slower prefill).")
  boolean exactPrefill;

  @Option(names = "--json", description = "Print one JSON object instead of streaming text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CommandLine cmd = spec.commandLine();
    if (compat != null && !compat.equals("runc") && !compat.equals("llamacpp")) {
      throw new CommandLine.ParameterException(cmd, "--compat must be 'runc' or 'llamacpp', got '" + compat + "'");
    }
    if (ctxSize != null && ctxSize < 1) throw new CommandLine.ParameterException(cmd, "--ctx-size must be >= 1, got " + ctxSize);
    if (n != null && n < 0) throw new CommandLine.ParameterException(cmd, "-n must be >= 0, got " + n);
    int nThreads = threads != null ? threads : ModelAndTokenizer.defaultThreads();
    if (nThreads < 1) throw new CommandLine.ParameterException(cmd, "--threads must be >= 1, got " + nThreads);
    long s = seed != null ? seed : System.currentTimeMillis() / 1000;
    PrintStream out = System.out;
    PrintStream err = System.err;

    try (ModelAndTokenizer mt = ModelAndTokenizer.open(cmd, model, tokenizer, nThreads)) {
      int ctx = ctxSize != null ? ctxSize : mt.model.defaultContextLength();
      mt.model.setExactPrefill(exactPrefill);
      if ("llamacpp".equals(compat)) mt.model.setGgmlExactOrder(true);
      if ("runc".equals(compat)) {
        if (json) throw new CommandLine.ParameterException(cmd, "--json cannot be combined with --compat runc");
        float t = temperature != null ? temperature : 1.0f;
        float p = topP != null ? topP : 0.9f;
        int steps = n != null ? n : 256;
        // run.c: the two-pass prompt mode is the model's own numerics, i.e. plain float activations.
        mt.model.setGgmlActivationRounding(false);
        RuncGeneration.Outcome o = RuncGeneration.run(mt.model, mt.tokenizer, prompt, steps, ctx, t, p, s, out);
        if (o.positions() > 1 && o.startNanos() > 0) {
          err.printf("achieved tok/s: %f%n", (o.positions() - 1) / ((o.endNanos() - o.startNanos()) / 1e9));
        }
        return 0;
      }
      SamplingParams params;
      try {
        params = new SamplingParams(temperature != null ? temperature : 0.8f, topK, topP != null ? topP : 0.95f, minP, repeatPenalty, repeatLastN, s);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cmd, e.getMessage());
      }
      int[] ids = mt.tokenizer.encode(prompt, EncodeOptions.DEFAULT);
      if (ids.length == 0) ids = new int[] {Math.max(0, mt.tokenizer.bos())};
      if (ids.length > ctx) {
        throw new IllegalArgumentException("the prompt has " + ids.length + " tokens but the context holds " + ctx + " (raise --ctx-size)");
      }
      Generator g = new Generator(mt.model, mt.tokenizer, ctx, f16Kv);
      GenerationRequest req = new GenerationRequest(ids, n != null ? n : 256, params, stop, true);
      GenerationResult r = g.generate(req, json ? text -> {} : text -> {
        out.print(text);
        out.flush();
      });
      if (json) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.set("prompt_ids", om.valueToTree(r.promptIds()));
        o.set("generated_ids", om.valueToTree(r.generatedIds()));
        o.put("text", r.text());
        o.put("stop_reason", r.stopReason().label());
        o.put("prefill_tokens_per_s", r.prefillTokensPerSecond());
        o.put("decode_tokens_per_s", r.decodeTokensPerSecond());
        out.println(om.writeValueAsString(o));
      } else {
        out.println();
        if (spec.commandLine().getParent() != null && ai.edgeai.llm.kernel.Kernels.describe().contains("scalar")) {
          err.println("edgeai: note: " + ai.edgeai.llm.kernel.Kernels.describe());
        }
        err.printf("prompt: %d tokens, %.1f tok/s; generated: %d tokens, %.1f tok/s; stop: %s%n",
            r.promptTokensEvaluated(), r.prefillTokensPerSecond(), r.generatedIds().length, r.decodeTokensPerSecond(), r.stopReason().label());
      }
      return 0;
    }
  }
}
