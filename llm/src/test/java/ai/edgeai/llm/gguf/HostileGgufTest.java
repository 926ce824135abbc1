package ai.edgeai.llm.gguf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One hand-made bad file per validation rule of {@link GgufFile}; the message names the culprit. */
class HostileGgufTest {

  @TempDir Path tmp;

  private static final int F32 = 0, Q8_0 = 8, STRING = 8, ARRAY = 9, BOOL = 7, U32 = 4;

  static Stream<Arguments> badFiles() {
    return Stream.of(
        bad("bad magic", new RawGguf().u32(0x4C4D4747).u32(3).u64(0).u64(0), "not a GGUF file"),
        bad("version 1", RawGguf.header(1, 0, 0), "version 1 is obsolete"),
        bad("big-endian", new RawGguf().u32(GgufFile.MAGIC).u32(0x03000000).u64(0).u64(0), "big-endian"),
        bad("version 4", RawGguf.header(4, 0, 0), "unsupported GGUF version 4"),
        bad("truncated header", new RawGguf().u32(GgufFile.MAGIC).u32(3).u32(0), "tensor_count"),
        bad("tensor count larger than file", RawGguf.header(3, 1L << 40, 0), "tensor_count 1099511627776"),
        bad("tensor count negative as i64", RawGguf.header(3, -1, 0), "tensor_count 18446744073709551615"),
        bad("kv count larger than file", RawGguf.header(3, 0, 1000), "metadata_kv_count 1000"),
        bad("truncated key", RawGguf.header(3, 0, 1).u64(100).bytes(new byte[20]), "metadata key #0"),
        bad("key length 2^64-1", RawGguf.header(3, 0, 1).u64(-1).bytes(new byte[20]), "metadata key #0"),
        bad("key too long", RawGguf.header(3, 0, 1).u64(70000).bytes(new byte[70010]), "metadata key #0 is 70000 bytes long"),
        bad("empty key", RawGguf.header(3, 0, 1).str("").u32(U32).u32(1), "metadata key #0 is empty"),
        bad("truncated string value", RawGguf.header(3, 0, 1).str("general.name").u32(STRING).u64(1000).bytes(new byte[10]), "'general.name'"),
        bad("truncated array", RawGguf.header(3, 0, 1).str("tokenizer.ggml.tokens").u32(ARRAY).u32(STRING).u64(1000).str("a").str("b"),
            "'tokenizer.ggml.tokens'"),
        bad("truncated string in array", RawGguf.header(3, 0, 1).str("tokenizer.ggml.tokens").u32(ARRAY).u32(STRING).u64(2).str("a").u64(50).bytes(new byte[10]),
            "'tokenizer.ggml.tokens' [1]"),
        bad("truncated value", RawGguf.header(3, 0, 1).str("llama.block_count").u32(U32).u8(1), "'llama.block_count'"),
        bad("unknown value type", RawGguf.header(3, 0, 1).str("x.y").u32(13).u32(0), "'x.y' has unknown value type 13"),
        bad("unknown array element type", RawGguf.header(3, 0, 1).str("x.arr").u32(ARRAY).u32(99).u64(0), "'x.arr' is an array of unknown value type 99"),
        bad("bad bool", RawGguf.header(3, 0, 1).str("x.flag").u32(BOOL).u8(2), "'x.flag' bool has value 2"),
        bad("bad bool in array", RawGguf.header(3, 0, 1).str("x.flags").u32(ARRAY).u32(BOOL).u64(3).u8(1).u8(0).u8(7), "'x.flags' bool element 2"),
        bad("nested too deep", deep("x.deep", 9), "'x.deep"),
        bad("duplicate key", RawGguf.header(3, 0, 2).kvU32("llama.block_count", 1).kvU32("llama.block_count", 2), "duplicate metadata key 'llama.block_count'"),
        bad("alignment not a power of two", RawGguf.header(3, 0, 1).kvU32("general.alignment", 24), "'general.alignment' = 24"),
        bad("alignment zero", RawGguf.header(3, 0, 1).kvU32("general.alignment", 0), "'general.alignment' = 0"),
        bad("alignment of wrong type", RawGguf.header(3, 0, 1).str("general.alignment").u32(STRING).str("32"), "'general.alignment' has type STRING"),
        bad("tensor name too long", RawGguf.header(3, 1, 0).tensor("t".repeat(65), new long[] {4}, F32, 0).data(32, 16), "tensor #0 name"),
        bad("n_dims 0", RawGguf.header(3, 1, 0).tensor("blk.0.attn_q.weight", new long[0], F32, 0).data(32, 16), "'blk.0.attn_q.weight' has 0 dimensions"),
        bad("n_dims 5", RawGguf.header(3, 1, 0).tensor("blk.0.attn_k.weight", new long[] {1, 1, 1, 1, 1}, F32, 0).data(32, 16),
            "'blk.0.attn_k.weight' has 5 dimensions"),
        bad("dimension zero", RawGguf.header(3, 1, 0).tensor("output.weight", new long[] {4, 0}, F32, 0).data(32, 16), "'output.weight' dimension 1 is 0"),
        bad("dimension too large", RawGguf.header(3, 1, 0).tensor("output.weight", new long[] {4, -2}, F32, 0).data(32, 16), "'output.weight' dimension 1 = 18446744073709551614"),
        bad("dimensions overflow", RawGguf.header(3, 1, 0).tensor("token_embd.weight", new long[] {1L << 32, 1L << 32}, F32, 0).data(32, 16),
            "'token_embd.weight' dimensions overflow"),
        bad("byte size overflows", RawGguf.header(3, 1, 0).tensor("token_embd.weight", new long[] {1L << 61, 2}, F32, 0).data(32, 16),
            "'token_embd.weight'"),
        bad("unknown tensor type", RawGguf.header(3, 1, 0).tensor("blk.1.ffn_up.weight", new long[] {32}, 99, 0).data(32, 128), "'blk.1.ffn_up.weight' has unknown ggml type 99"),
        bad("removed tensor type 4", RawGguf.header(3, 1, 0).tensor("blk.1.ffn_up.weight", new long[] {32}, 4, 0).data(32, 128), "unknown ggml type 4"),
        bad("row not a multiple of the block", RawGguf.header(3, 1, 0).tensor("blk.0.ffn_down.weight", new long[] {172, 64}, Q8_0, 0).data(32, 20000),
            "'blk.0.ffn_down.weight' row length 172 is not a multiple of the Q8_0 block size 32"),
        bad("offset misaligned", RawGguf.header(3, 1, 0).tensor("output_norm.weight", new long[] {4}, F32, 4).data(32, 64), "'output_norm.weight' offset 4"),
        bad("data outside the file", RawGguf.header(3, 1, 0).tensor("output_norm.weight", new long[] {64}, F32, 0).data(32, 100),
            "'output_norm.weight' data [0, +256) lies outside the file"),
        bad("offset far outside the file", RawGguf.header(3, 1, 0).tensor("output_norm.weight", new long[] {4}, F32, 1L << 40).data(32, 16),
            "'output_norm.weight'"),
        bad("offset negative as i64", RawGguf.header(3, 1, 0).tensor("output_norm.weight", new long[] {4}, F32, -32).data(32, 16),
            "'output_norm.weight' offset 18446744073709551584"),
        bad("duplicate tensor", RawGguf.header(3, 2, 0).tensor("output_norm.weight", new long[] {4}, F32, 0).tensor("output_norm.weight", new long[] {4}, F32, 32)
            .data(32, 64), "duplicate tensor name 'output_norm.weight'"),
        bad("truncated tensor info", RawGguf.header(3, 1, 0).str("blk.2.attn_v.weight").u32(2).u64(64).bytes(new byte[30]), "'blk.2.attn_v.weight'"),
        bad("truncated tensor name", RawGguf.header(3, 1, 0).u64(40).bytes(new byte[30]), "tensor #0"));
  }

  private static RawGguf deep(String key, int levels) {
    RawGguf r = RawGguf.header(3, 0, 1).str(key).u32(ARRAY);
    for (int i = 0; i < levels; i++) r.u32(ARRAY).u64(1);
    return r.u32(U32).u64(1).u32(7);
  }

  private static Arguments bad(String rule, RawGguf file, String expected) {
    return Arguments.of(rule, file.build(), expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badFileFailsNamingTheCulprit(String rule, byte[] bytes, String expected) throws IOException {
    Path file = tmp.resolve(rule.replace(' ', '_') + ".gguf");
    Files.write(file, bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(file).close(), rule);
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), rule + ": message '" + e.getMessage() + "' should contain '" + expected + "'");
    assertTrue(e.file().equals(file));
  }

  @Test
  void wellFormedCounterpartsOpen() throws IOException {
    // The same shapes as above, valid: proves the failures come from the broken field.
    byte[] ok = RawGguf.header(3, 2, 2).kvU32("general.alignment", 64).str("x.flags").u32(ARRAY).u32(BOOL).u64(2).u8(1).u8(0)
        .tensor("output_norm.weight", new long[] {4}, F32, 0).tensor("blk.0.ffn_gate.weight", new long[] {32, 2}, Q8_0, 64).data(64, 64 + 68).build();
    Path file = tmp.resolve("ok.gguf");
    Files.write(file, ok);
    try (GgufFile f = GgufFile.open(file)) {
      assertTrue(f.tensor("blk.0.ffn_gate.weight").isPresent());
      assertTrue(f.openTensor("blk.0.ffn_gate.weight").rows() == 2);
    }
    Files.write(file, deep("x.deep", 7).build());
    GgufFile.open(file).close();
  }

  @Test
  void missingFileIsNamed() {
    Path missing = tmp.resolve("nope.gguf");
    IOException e = assertThrows(IOException.class, () -> GgufFile.open(missing));
    assertTrue(e.getMessage().contains("nope.gguf"), e.getMessage());
  }
}
