package ai.edgeai.server;

import ai.edgeai.server.chat.ChatModel;
import java.io.IOException;
import java.nio.file.Path;

/** The small real models the server tests run (from the llm module's test resources). */
public final class TestModels {

  /** stories260K (llama2.c, Karpathy; converted to GGUF F32): 512-token SentencePiece vocabulary, 512 context. */
  public static final Path STORIES = Path.of("../llm/src/test/resources/llm/gguf/stories260K-f32.gguf");

  /** Random F16 weights with the full Llama 2 vocabulary (ollama test data): it practically never emits EOS. */
  public static final Path TINY_RANDOM = Path.of("../llm/src/test/resources/llm/gguf/llama-2-tiny-random.gguf");

  private TestModels() {}

  public static ChatModel tinyRandom(int contextLength) throws IOException {
    return ChatModel.open(TINY_RANDOM, ChatModel.Options.defaults().withContextLength(contextLength));
  }

  public static ChatModel stories(int contextLength) throws IOException {
    return ChatModel.open(STORIES, ChatModel.Options.defaults().withContextLength(contextLength));
  }
}
