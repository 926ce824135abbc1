package ai.edgeai.llm.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.tokenizer.Tokenizer;
import ai.edgeai.llm.tokenizer.Tokenizers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --compat runc} prints byte for byte what llama2.c's run.c printed. */
class RuncGenerationTest {

  static Path resource(String relative) {
    return ai.edgeai.llm.gguf.TestFiles.llm(relative);
  }

  @ParameterizedTest(name = "{0} on {5}")
  @CsvSource(delimiter = '|', value = {
    "sampled_t1.0_p0.9_s133742_noprompt | '' | 256 | 1.0 | 0.9 | llama2c/stories260K.bin | 133742",
    "sampled_t0.8_p0.9_s42_once | Once upon a time | 200 | 0.8 | 0.9 | llama2c/stories260K.bin | 42",
    "greedy_noprompt_256 | '' | 256 | 0.0 | 0.9 | llama2c/stories260K.bin | 1",
    "greedy_once_200 | Once upon a time | 200 | 0.0 | 0.9 | llama2c/stories260K.bin | 1",
    "greedy_llama_emoji_100 | Once upon a time, a 🦙 llama | 100 | 0.0 | 0.9 | llama2c/stories260K.bin | 1",
    "sampled_t1.0_p0.9_s133742_noprompt | '' | 256 | 1.0 | 0.9 | gguf/stories260K-f32.gguf | 133742",
    "sampled_t0.8_p0.9_s42_once | Once upon a time | 200 | 0.8 | 0.9 | gguf/stories260K-f32.gguf | 42",
  })
  void printsExactlyWhatRunCPrinted(String ref, String prompt, int steps, float temp, float topp, String model, long seed) throws Exception {
    byte[] expected = Files.readAllBytes(resource("ref/llama2c/" + ref + ".stdout.txt"));
    try (LlamaModel m = LlamaModel.load(resource(model), 1)) {
      m.setGgmlActivationRounding(false);
      Tokenizer tok = Tokenizers.fromLlama2c(resource("llama2c/tok512.bin"), m.config().vocabSize());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // The GGUF conversion declares 128 positions; run.c used the checkpoint's 512.
      RuncGeneration.run(m, tok, prompt, steps, 512, temp, topp, seed, out);
      assertEquals(new String(expected, StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
      assertEquals(expected.length, out.size());
    }
  }
}
