package ai.edgeai.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.gguf.GgufArray;
import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.GgufMetadata;
import ai.edgeai.llm.gguf.GgufValueType;
import ai.edgeai.llm.gguf.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {

  private static GgufMetadata metadata(Object... keyTypeValue) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, GgufValueType> types = new LinkedHashMap<>();
    for (int i = 0; i < keyTypeValue.length; i += 3) {
      values.put((String) keyTypeValue[i], keyTypeValue[i + 2]);
      types.put((String) keyTypeValue[i], (GgufValueType) keyTypeValue[i + 1]);
    }
    return new GgufMetadata(Path.of("test.gguf"), values, types);
  }

  private static final GgufArray TOKENS = new GgufArray(GgufValueType.STRING, new String[] {"a", "b", "ab"});

  @Test
  void unknownTokenizerModelNamesTheKey() {
    var e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(metadata(
        "tokenizer.ggml.model", GgufValueType.STRING, "rwkv", "tokenizer.ggml.tokens", GgufValueType.ARRAY, TOKENS)));
    assertTrue(e.getMessage().contains("'tokenizer.ggml.model' = 'rwkv'"), e.getMessage());
  }

  @Test
  void unimplementedPreTokenizerFailsInsteadOfFallingBack() {
    var e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(metadata(
        "tokenizer.ggml.model", GgufValueType.STRING, "gpt2", "tokenizer.ggml.pre", GgufValueType.STRING, "tekken",
        "tokenizer.ggml.tokens", GgufValueType.ARRAY, TOKENS,
        "tokenizer.ggml.merges", GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, new String[] {"a b"}))));
    assertTrue(e.getMessage().contains("'tokenizer.ggml.pre' = 'tekken'"), e.getMessage());
  }

  @Test
  void mismatchedArraysAndMissingKeysNameTheKey() {
    var types = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(metadata(
        "tokenizer.ggml.model", GgufValueType.STRING, "llama", "tokenizer.ggml.tokens", GgufValueType.ARRAY, TOKENS,
        "tokenizer.ggml.token_type", GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, new int[] {1, 1}))));
    assertTrue(types.getMessage().contains("tokenizer.ggml.token_type"), types.getMessage());
    var merges = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(metadata(
        "tokenizer.ggml.model", GgufValueType.STRING, "gpt2", "tokenizer.ggml.tokens", GgufValueType.ARRAY, TOKENS)));
    assertTrue(merges.getMessage().contains("tokenizer.ggml.merges"), merges.getMessage());
    var model = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(metadata(
        "tokenizer.ggml.tokens", GgufValueType.ARRAY, TOKENS)));
    assertTrue(model.getMessage().contains("tokenizer.ggml.model"), model.getMessage());
  }

  @Test
  void tinyInMemoryBpeMerges() {
    Tokenizer t = Tokenizers.fromGguf(metadata(
        "tokenizer.ggml.model", GgufValueType.STRING, "gpt2", "tokenizer.ggml.pre", GgufValueType.STRING, "gpt-2",
        "tokenizer.ggml.tokens", GgufValueType.ARRAY, TOKENS,
        "tokenizer.ggml.merges", GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, new String[] {"a b"})));
    assertArrayEquals(new int[] {2, 0}, t.encode("aba", EncodeOptions.RAW));
    assertArrayEquals(new int[] {1, 0}, t.encode("ba", EncodeOptions.RAW));
    assertEquals("aba", t.decode(2, 0));
  }

  @Test
  void corruptLlama2cTokenizerNamesTheToken(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.bin");
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + 1 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(4).putFloat(0f).putInt(1).put((byte) 'x').putFloat(0f).putInt(1000);
    Files.write(file, b.array());
    var e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromLlama2c(file));
    assertTrue(e.getMessage().contains("token 1") && e.getMessage().contains("length 1000"), e.getMessage());
    Files.write(file, new byte[] {1, 0});
    assertThrows(ModelFormatException.class, () -> Tokenizers.fromLlama2c(file));
    Path truncated = dir.resolve("short.bin");
    Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(TokenizerTestData.resource("llama2c/tok512.bin")), 3000));
    var t = assertThrows(ModelFormatException.class, () -> Tokenizers.fromLlama2c(truncated, 512));
    assertTrue(t.getMessage().contains(truncated.toString()), t.getMessage());
  }

  @Test
  void runcCompatPrintsWhatRunCPrints() {
    Llama2cTokenizer t = (Llama2cTokenizer) TokenizerTestData.llama2c("llama2c/tok512.bin");
    int once = t.encode("Once", EncodeOptions.RAW)[0];
    assertEquals(" Once", new String(RuncCompat.piece(t, 5, once), StandardCharsets.UTF_8));
    assertEquals("Once", new String(RuncCompat.piece(t, Llama2cTokenizer.BOS, once), StandardCharsets.UTF_8));
    assertEquals("\n</s>\n", new String(RuncCompat.piece(t, 5, Llama2cTokenizer.EOS), StandardCharsets.UTF_8));
    byte[] newline = RuncCompat.piece(t, 5, t.tokenId("<0x0A>"));
    assertArrayEquals(new byte[] {'\n'}, RuncCompat.printable(newline));
    byte[] emojiByte = RuncCompat.piece(t, 5, 0xF0 + 3);
    assertArrayEquals(new byte[] {(byte) 0xF0}, emojiByte);
    assertEquals(0, RuncCompat.printable(emojiByte).length, "non-printable single bytes are dropped");
    assertEquals(0, RuncCompat.printable(RuncCompat.piece(t, 5, 3)).length, "<0x00> prints nothing");
    Tokenizer gguf = TokenizerTestData.gguf("gguf/stories260K-f32.gguf");
    for (int id = 0; id < t.vocabularySize(); id++) {
      for (int prev : new int[] {1, 5}) {
        assertArrayEquals(RuncCompat.piece(t, prev, id), RuncCompat.piece(gguf, prev, id), "token " + id);
      }
    }
  }

  /** Not a speed assertion: prints the load time of the largest vocabulary for the report. */
  @Test
  void llama3VocabularyLoads() throws IOException {
    Path path = TokenizerTestData.resource("vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf");
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      Tokenizer t;
      long t1;
      try (GgufFile file = GgufFile.open(path)) {
        t1 = System.nanoTime();
        t = Tokenizers.fromGguf(file);
      }
      long t2 = System.nanoTime();
      long t3 = System.nanoTime();
      t.encode("warm-up text, 123 ok", EncodeOptions.DEFAULT);
      long t4 = System.nanoTime();
      System.out.printf("Llama 3 vocabulary load #%d: GGUF open %.0f ms, tokenizer build %.0f ms, first encode %.1f ms%n",
          run, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e6);
      assertEquals(128256, t.vocabularySize());
    }
  }
}
