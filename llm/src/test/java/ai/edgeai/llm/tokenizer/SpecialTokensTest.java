package ai.edgeai.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpecialTokensTest {

  @Test
  void llama3ControlTokensAreParsedOnlyWhenAsked() {
    Tokenizer t = TokenizerTestData.gguf("vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf");
    assertEquals(128000, t.bos());
    assertEquals(128009, t.eot());
    assertTrue(t.isControl(128009));
    assertTrue(t.addsBos());
    String chat = "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>";
    int[] parsed = t.encode(chat, new EncodeOptions(true, true));
    assertEquals(128000, parsed[0]);
    assertEquals(128006, parsed[1]);
    assertEquals(128009, parsed[parsed.length - 1]);
    assertEquals(t.tokenId("<|end_header_id|>"), parsed[3]);
    int[] plain = t.encode(chat, EncodeOptions.DEFAULT);
    assertEquals(1, Arrays.stream(plain).filter(id -> id >= 128000).count(), "only BOS is special");
    assertEquals(chat, t.decode(plain));
    assertEquals("user\n\nHi", t.decode(parsed), "control tokens decode to nothing");
  }

  @Test
  void sentencePieceAddsTheSpacePrefixAfterASpecialToken() {
    Tokenizer t = TokenizerTestData.gguf("gguf/stories260K-f32.gguf");
    int[] hi = t.encode("Hi", EncodeOptions.RAW);
    int[] parsed = t.encode("<s>Hi", new EncodeOptions(true, true));
    int[] expected = new int[2 + hi.length];
    expected[0] = 1;
    expected[1] = 1;
    System.arraycopy(hi, 0, expected, 2, hi.length);
    assertArrayEquals(expected, parsed);
    assertFalse(Arrays.stream(t.encode("<s>Hi", EncodeOptions.RAW)).anyMatch(id -> id == 1));
    assertEquals("Hi", t.decode(parsed));
  }

  @Test
  void gpt2EndOfTextIsControlAndTheEndOfTurn() {
    Tokenizer t = TokenizerTestData.gguf("vocab/ggml-vocab-gpt-2.gguf");
    assertEquals(50256, t.eot());
    assertTrue(t.isControl(50256));
    assertFalse(t.addsBos());
    assertArrayEquals(new int[] {50256}, t.encode("<|endoftext|>", new EncodeOptions(false, true)));
    assertTrue(t.encode("<|endoftext|>", EncodeOptions.RAW).length > 1);
  }

  @Test
  void wordPieceWrapsInClsAndSep() {
    Tokenizer t = TokenizerTestData.gguf("vocab/ggml-vocab-bert-bge.gguf");
    int[] ids = t.encode("Hello, Wörld!", EncodeOptions.DEFAULT);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[ids.length - 1]);
    assertEquals("hello, world!", t.decode(ids).replace(" ,", ",").replace(" !", "!"));
    assertEquals(t.tokenId("[UNK]"), t.encode("\u2603\u2603x\u00A0", EncodeOptions.RAW)[0] == 100 ? 100 : -2);
  }
}
