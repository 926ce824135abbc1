package ai.edgeai.cli.server;

import ai.edgeai.server.chat.ChatModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code chat} and {@code serve} share to load a model for chat. */
final class ChatModelOptions {

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF file or llama2.c checkpoint (.bin).")
  Path model;

  @Option(names = "--tokenizer", paramLabel = "TOKENIZER", description = "llama2.c tokenizer.bin (required for .bin checkpoints).")
  Path tokenizer;

  @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "Context length per conversation/slot (default: what the model file declares, at most 4096).")
  Integer ctxSize;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--chat-template", paramLabel = "FILE", description = "Jinja chat template to use instead of the model's (default: the file's tokenizer.chat_template, else ChatML).")
  Path chatTemplate;

  @Option(names = "--f16-kv", description = "Keep the KV cache in F16 (half the memory).")
  boolean f16Kv;

  ChatModel open(CommandLine cmd) throws IOException {
    if (ctxSize != null && ctxSize < 1) throw new CommandLine.ParameterException(cmd, "--ctx-size must be >= 1, got " + ctxSize);
    int n = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    if (n < 1) throw new CommandLine.ParameterException(cmd, "--threads must be >= 1, got " + n);
    String template = null;
    if (chatTemplate != null) {
      if (!Files.isRegularFile(chatTemplate)) throw new CommandLine.ParameterException(cmd, "--chat-template: no such file: " + chatTemplate);
      template = Files.readString(chatTemplate);
    }
    try {
      return ChatModel.open(model, new ChatModel.Options(tokenizer, n, ctxSize == null ? 0 : ctxSize, template, f16Kv));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, e.getMessage());
    }
  }
}
