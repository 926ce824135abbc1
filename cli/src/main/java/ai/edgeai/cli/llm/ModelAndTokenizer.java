package ai.edgeai.cli.llm;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.model.ModelFiles;
import ai.edgeai.llm.tokenizer.Tokenizer;
import ai.edgeai.llm.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** Loads a model and its tokenizer the way every LLM command does. */
final class ModelAndTokenizer implements AutoCloseable {

  final LlamaModel model;
  final Tokenizer tokenizer;
  final long loadNanos;

  private ModelAndTokenizer(LlamaModel model, Tokenizer tokenizer, long loadNanos) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.loadNanos = loadNanos;
  }

  /**
   * @param tokenizerPath a llama2.c tokenizer.bin; required for llama2.c checkpoints, optional for GGUF
   */
  static ModelAndTokenizer open(CommandLine cmd, Path modelPath, Path tokenizerPath, int threads) throws IOException {
    requireFile(modelPath, "model");
    if (tokenizerPath != null) requireFile(tokenizerPath, "tokenizer");
    boolean gguf = ModelFiles.isGguf(modelPath);
    if (!gguf && tokenizerPath == null) {
      throw new CommandLine.ParameterException(cmd, "--tokenizer is required for llama2.c checkpoints (" + modelPath + " is not a GGUF file)");
    }
    long t0 = System.nanoTime();
    LlamaModel model = LlamaModel.load(modelPath, threads);
    try {
      Tokenizer tok;
      if (tokenizerPath != null) {
        tok = Tokenizers.fromLlama2c(tokenizerPath, model.config().vocabSize());
      } else {
        try (GgufFile f = GgufFile.open(modelPath)) {
          tok = Tokenizers.fromGguf(f);
        }
      }
      return new ModelAndTokenizer(model, tok, System.nanoTime() - t0);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  static void requireFile(Path p, String what) throws NoSuchFileException {
    if (!Files.isRegularFile(p)) throw new NoSuchFileException(p.toString(), null, what + " file not found");
  }

  /** The default worker count: every available core (at least 1). */
  static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void close() {
    model.close();
  }
}
