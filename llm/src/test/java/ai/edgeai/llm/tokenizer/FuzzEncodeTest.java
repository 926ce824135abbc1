package ai.edgeai.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random Unicode text: no exception, ids in range, and decode(encode(s)) == s where lossless. */
class FuzzEncodeTest {

  private static final int STRINGS = 400;

  private static final int[][] POOLS = {
    {' ', '~'}, {'\t', '\r'}, {0x80, 0x2FF}, {0x300, 0x36F}, {0x370, 0x52F}, {0x600, 0x6FF}, {0x900, 0x97F},
    {0x1780, 0x17FF}, {0x2000, 0x206F}, {0x3000, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xFF00, 0xFFEF},
    {0x1F300, 0x1FAFF}, {0x10000, 0x10FFFF}, {0x1, 0x10FFFF}
  };

  static String randomText(SplittableRandom random, boolean allowNul) {
    int length = random.nextInt(0, 40);
    StringBuilder sb = new StringBuilder();
    int[] pool = POOLS[random.nextInt(POOLS.length)];
    for (int i = 0; i < length; i++) {
      if (random.nextInt(4) == 0) pool = POOLS[random.nextInt(POOLS.length)];
      int cp = random.nextInt(pool[0], pool[1] + 1);
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x'; // Java strings with lone surrogates are not text
      if (cp == 0 && !allowNul) cp = 'y';
      if (random.nextInt(10) == 0) sb.append(random.nextBoolean() ? ' ' : "\u200D");
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /**
   * Byte-level vocabularies need not contain all 256 byte symbols (Falcon has no \x0B, StarCoder
   * none for the lead bytes of planes 4-15); llama.cpp then drops those bytes, and so do we.
   */
  static boolean everyByteHasAToken(Tokenizer tokenizer, String text) {
    if (tokenizer.kind() != Tokenizer.Kind.BYTE_LEVEL_BPE) return true;
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if (tokenizer.tokenId(String.valueOf(ByteLevelBpeTokenizer.BYTE_TO_CHAR[b & 0xFF])) < 0) return false;
    }
    return true;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "llama2c:llama2c/tok512.bin", "llama2c:llama2c/tokenizer.bin", "gguf:gguf/stories260K-f32.gguf",
    "gguf:vocab/ggml-vocab-llama-spm.gguf", "gguf:vocab/ggml-vocab-phi-3.gguf",
    "gguf:vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf", "gguf:vocab/ggml-vocab-gpt-2.gguf",
    "gguf:vocab/ggml-vocab-deepseek-llm.gguf", "gguf:vocab/ggml-vocab-deepseek-coder.gguf",
    "gguf:vocab/ggml-vocab-falcon.gguf", "gguf:vocab/ggml-vocab-mpt.gguf", "gguf:vocab/ggml-vocab-starcoder.gguf",
    "gguf:vocab/ggml-vocab-refact.gguf", "gguf:vocab/ggml-vocab-bert-bge.gguf"})
  void randomUnicode(String spec) {
    String[] parts = spec.split(":", 2);
    boolean llama2c = parts[0].equals("llama2c");
    Tokenizer tokenizer = llama2c ? TokenizerTestData.llama2c(parts[1]) : TokenizerTestData.gguf(parts[1]);
    SplittableRandom random = new SplittableRandom(parts[1].hashCode());
    for (int i = 0; i < STRINGS; i++) {
      // run.c reads C strings, so NUL cannot reach it
      String text = randomText(random, !llama2c);
      for (EncodeOptions options : new EncodeOptions[] {EncodeOptions.RAW, EncodeOptions.DEFAULT, new EncodeOptions(true, true)}) {
        int[] ids = tokenizer.encode(text, options);
        for (int id : ids) assertTrue(id >= 0 && id < tokenizer.vocabularySize(), "id " + id + " for " + VocabTestVectorsTest.escape(text));
        String decoded = tokenizer.decode(ids);
        if (tokenizer.kind() != Tokenizer.Kind.WORDPIECE && !options.parseSpecial() && everyByteHasAToken(tokenizer, text)) {
          assertEquals(text, decoded, spec + " " + options + " " + VocabTestVectorsTest.escape(text));
        }
      }
    }
  }
}
