package ai.edgeai.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenDecoderTest {

  private static final String TEXT = "Hi 🙂🦙 👩‍👩‍👧 日本語のテキスト Привет naïve ∑ 𝔘";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "llama2c:llama2c/tok512.bin", "llama2c:llama2c/tokenizer.bin", "gguf:vocab/ggml-vocab-llama-spm.gguf",
    "gguf:vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf", "gguf:vocab/ggml-vocab-gpt-2.gguf",
    "gguf:vocab/ggml-vocab-deepseek-llm.gguf", "gguf:gguf/stories260K-f32.gguf"})
  void neverEmitsHalfACharacter(String spec) {
    String[] parts = spec.split(":", 2);
    Tokenizer tokenizer = parts[0].equals("llama2c") ? TokenizerTestData.llama2c(parts[1]) : TokenizerTestData.gguf(parts[1]);
    int[] ids = tokenizer.encode(TEXT, EncodeOptions.DEFAULT);
    TokenDecoder decoder = tokenizer.newDecoder();
    StringBuilder out = new StringBuilder();
    int heldBack = 0;
    for (int id : ids) {
      String chunk = decoder.accept(id);
      assertWholeCharacters(chunk);
      if (decoder.pendingBytes() > 0) heldBack++;
      out.append(chunk);
    }
    assertEquals("", decoder.flush(), "nothing left after a complete text");
    assertEquals(TEXT, out.toString());
    // every one of these vocabularies splits some emoji or CJK character over several tokens
    assertTrue(heldBack > 0, "a character spanning tokens was held back at least once");
  }

  @Test
  void byteTokensCompleteAnEmojiOnlyAtTheLastByte() {
    Tokenizer spm = TokenizerTestData.gguf("vocab/ggml-vocab-llama-spm.gguf");
    byte[] emoji = "🦙".getBytes(StandardCharsets.UTF_8);
    TokenDecoder decoder = spm.newDecoder();
    for (int i = 0; i < emoji.length; i++) {
      int id = spm.tokenId(String.format("<0x%02X>", emoji[i] & 0xFF));
      String chunk = decoder.accept(id);
      assertEquals(i == emoji.length - 1 ? "🦙" : "", chunk, "after byte " + i);
    }
  }

  @Test
  void bytesThatCannotFormACharacterAreReplacedNotHeldForever() {
    Tokenizer spm = TokenizerTestData.gguf("vocab/ggml-vocab-llama-spm.gguf");
    TokenDecoder decoder = spm.newDecoder();
    assertEquals("", decoder.accept(spm.tokenId("<0xF0>")));
    String next = decoder.accept(spm.tokenId("▁A"));
    assertEquals("\uFFFD A", next);
    assertEquals(0, decoder.pendingBytes());
    assertEquals("", decoder.accept(spm.tokenId("<0xE6>")));
    assertEquals("\uFFFD", decoder.flush());
  }

  @Test
  void completeLengthFindsTheLastWholeCharacter() {
    byte[] b = "a€".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC
    assertEquals(4, TokenDecoder.completeLength(b, 4));
    assertEquals(1, TokenDecoder.completeLength(b, 3));
    assertEquals(1, TokenDecoder.completeLength(b, 2));
    assertEquals(1, TokenDecoder.completeLength(b, 1));
    assertEquals(2, TokenDecoder.completeLength(new byte[] {(byte) 0x80, (byte) 0x80}, 2));
    assertEquals(1, TokenDecoder.completeLength(new byte[] {(byte) 0xFF}, 1));
  }

  static void assertWholeCharacters(String chunk) {
    assertFalse(chunk.contains("\uFFFD"), "replacement character in " + chunk);
    if (!chunk.isEmpty()) {
      assertFalse(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)), "ends in half a surrogate pair");
      assertFalse(Character.isLowSurrogate(chunk.charAt(0)), "starts with half a surrogate pair");
    }
  }
}
