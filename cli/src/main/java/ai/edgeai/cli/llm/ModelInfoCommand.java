package ai.edgeai.cli.llm;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufTensorInfo;
import ai.edgeai.llm.model.LlamaConfig;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.model.ModelFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgeai model info M}: architecture, size, tensor type mix, context, vocabulary, and the
 * memory needed to run it at a given context. Works on vocabulary-only GGUF files too.
 */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a GGUF file or llama2.c checkpoint.")
public final class ModelInfoCommand implements Callable<Integer> {

  /**
   * Everything resident beside the mapped weights and the KV cache (JVM files, heap, C2's compile
   * arenas, metaspace, code): issue 4's budget; 113-143 MB measured on Llama-3.2-1B's shape under
   * the launcher's flags (docs/benchmarks.md, "Resident memory").
   */
  static final long RUNTIME_OVERHEAD_BYTES = 150_000_000L;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "GGUF file or llama2.c checkpoint.")
  Path model;

  @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "Context length for the memory estimate (default: the file's).")
  Integer ctxSize;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ModelAndTokenizer.requireFile(model, "model");
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", model.toString());
    info.put("file_size_bytes", Files.size(model));
    if (ModelFiles.isGguf(model)) {
      try (GgufFile f = GgufFile.open(model)) {
        describeGguf(f, info);
      }
    } else {
      try (LlamaModel m = LlamaModel.load(model, 1)) {
        info.put("format", "llama2c");
        info.put("architecture", "llama");
        LlamaConfig c = m.config();
        info.put("parameters", m.parameterCount());
        info.put("tensor_types", Map.of("F32", Map.of("tensors", 0, "bytes", Files.size(model) - 28)));
        putShape(info, c.contextLength(), c.layers(), c.dim(), c.heads(), c.kvHeads(), c.headSize(), c.vocabSize());
        info.put("tokenizer", "llama2c (separate tokenizer.bin)");
      }
    }
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
    } else {
      for (var e : info.entrySet()) System.out.printf("%-22s %s%n", e.getKey() + ":", e.getValue());
    }
    return 0;
  }

  private void describeGguf(GgufFile f, Map<String, Object> info) {
    GgufMetadata md = f.metadata();
    info.put("format", "gguf v" + f.version());
    String arch = md.string("general.architecture").orElse("(none)");
    info.put("architecture", arch);
    info.put("supported", LlamaModel.supportedArchitectures().contains(arch));
    md.string("general.name").ifPresent(n -> info.put("name", n));
    long params = 0;
    Map<String, Map<String, Long>> mix = new TreeMap<>();
    for (GgufTensorInfo t : f.tensors()) {
      params += t.elementCount();
      Map<String, Long> m = mix.computeIfAbsent(t.type().name(), k -> new LinkedHashMap<>(Map.of("tensors", 0L, "bytes", 0L)));
      m.merge("tensors", 1L, Long::sum);
      m.merge("bytes", t.byteSize(), Long::sum);
    }
    info.put("parameters", params);
    info.put("tensor_types", mix);
    info.put("vocab_only", f.tensors().isEmpty());
    String p = arch + ".";
    if (md.contains(p + "block_count")) {
      int heads = md.getInt(p + "attention.head_count");
      int dim = md.getInt(p + "embedding_length");
      int vocab = md.contains("tokenizer.ggml.tokens") ? md.getArray("tokenizer.ggml.tokens").length() : md.getInt(p + "vocab_size", 0);
      putShape(info, md.getInt(p + "context_length"), md.getInt(p + "block_count"), dim, heads,
          md.getInt(p + "attention.head_count_kv", heads), md.getInt(p + "attention.key_length", dim / heads), vocab);
    } else if (md.contains("tokenizer.ggml.tokens")) {
      info.put("vocab_size", md.getArray("tokenizer.ggml.tokens").length());
    }
    info.put("tokenizer", md.string("tokenizer.ggml.model").orElse("(none)") + md.string("tokenizer.ggml.pre").map(s -> " (pre: " + s + ")").orElse(""));
    info.put("chat_template", md.contains("tokenizer.chat_template"));
  }

  private void putShape(Map<String, Object> info, int fileCtx, int layers, int dim, int heads, int kvHeads, int headSize, int vocab) {
    int ctx = ctxSize != null ? ctxSize : fileCtx;
    info.put("context_length", fileCtx);
    info.put("layers", layers);
    info.put("embedding_length", dim);
    info.put("heads", heads);
    info.put("kv_heads", kvHeads);
    info.put("vocab_size", vocab);
    long kv = 2L * layers * ctx * kvHeads * headSize * 4;
    info.put("memory_context", ctx);
    info.put("kv_cache_bytes_f32", kv);
    info.put("memory_needed_bytes", (long) info.get("file_size_bytes") + kv + RUNTIME_OVERHEAD_BYTES);
  }
}
