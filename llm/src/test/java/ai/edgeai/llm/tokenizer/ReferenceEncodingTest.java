package ai.edgeai.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 25 reference strings, encoded by run.c and by llama.cpp (add_special on, parse_special off). */
class ReferenceEncodingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tok512, llama2c/tok512.bin", "tokenizer_32000, llama2c/tokenizer.bin"})
  @SuppressWarnings("unchecked")
  void llama2cMatchesRunC(String key, String file) throws IOException {
    Map<String, Object> ref = (Map<String, Object>) TokenizerTestData.parseJson(
        Files.readString(TokenizerTestData.resource("ref/tokenizer/llama2c_encode_ref.json")));
    List<String> strings = (List<String>) ref.get("strings");
    assertEquals(TokenizerTestData.referenceStrings(), strings, "strings.bin and the JSON agree");
    List<List<Long>> ids = (List<List<Long>>) ((Map<String, Object>) ((Map<String, Object>) ref.get("tokenizers")).get(key)).get("ids");
    Tokenizer tokenizer = TokenizerTestData.llama2c(file);
    assertEquals(Tokenizer.Kind.LLAMA2C, tokenizer.kind());
    for (int i = 0; i < strings.size(); i++) {
      int[] expected = ids.get(i).stream().mapToInt(Long::intValue).toArray();
      assertArrayEquals(expected, tokenizer.encode(strings.get(i)), key + " #" + i + " " + VocabTestVectorsTest.escape(strings.get(i)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "stories260K, gguf/stories260K-f32.gguf",
    "llama-spm, vocab/ggml-vocab-llama-spm.gguf",
    "llama-2-tiny-random, gguf/llama-2-tiny-random.gguf",
    "llama-bpe-reconstructed, vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf"
  })
  void ggufMatchesLlamaCpp(String name, String gguf) throws IOException {
    List<String> strings = TokenizerTestData.referenceStrings();
    List<int[]> expected = TokenizerTestData.idLines(TokenizerTestData.resource("ref/tokenizer/llamacpp_" + name + "_addspecial.txt"));
    assertEquals(strings.size(), expected.size());
    Tokenizer tokenizer = TokenizerTestData.gguf(gguf);
    for (int i = 0; i < strings.size(); i++) {
      String text = strings.get(i);
      assertArrayEquals(expected.get(i), tokenizer.encode(text, EncodeOptions.DEFAULT), name + " #" + i + " " + VocabTestVectorsTest.escape(text));
      assertEquals(text, tokenizer.decode(tokenizer.encode(text)), name + " round trip #" + i);
    }
  }

  @Test
  void runCAndLlamaCppAgreeOnStories260K() throws IOException {
    Tokenizer bin = TokenizerTestData.llama2c("llama2c/tok512.bin");
    Tokenizer gguf = TokenizerTestData.gguf("gguf/stories260K-f32.gguf");
    for (String text : TokenizerTestData.referenceStrings()) {
      assertArrayEquals(bin.encode(text), gguf.encode(text), VocabTestVectorsTest.escape(text));
      assertEquals(text, bin.decode(bin.encode(text)));
    }
  }
}
