package ai.edgeai.server;

import ai.edgeai.server.chat.ChatModel;
import java.io.IOException;
import java.nio.file.Path;

/** The small real models the server tests run (from the llm module's test resources). */
public final class TestModels {

  /** stories260K (llama2.c, Karpathy; converted to GGUF F32): 512-token SentencePiece vocabulary, 512 context. */
  public static final Path STORIES = Path.of("../llm/src/test/resources/llm/gguf/stories260K-f32.gguf");

  private TestModels() {}

  public static ChatModel stories(int contextLength) throws IOException {
    return ChatModel.open(STORIES, ChatModel.Options.defaults().withContextLength(contextLength));
  }
}
