package ai.edgeai.cli.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real command on the llm module's test data (same repository). */
class TokenizeCommandTest {

  private static final Path DATA = Path.of("../llm/src/test/resources/llm");

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void printsIdsOfAGgufVocabulary() {
    Result r = run("tokenize", "--model", DATA.resolve("gguf/stories260K-f32.gguf").toString(), "--text", "Once upon a time");
    assertEquals(0, r.exit(), r.err());
    assertEquals("1 403 407 261 378\n", r.out().replace("\r\n", "\n"));
    Result noBos = run("tokenize", "--model", DATA.resolve("gguf/stories260K-f32.gguf").toString(), "--text", "Once upon a time", "--no-bos");
    assertEquals("403 407 261 378\n", noBos.out().replace("\r\n", "\n"));
  }

  @Test
  void jsonHasIdsAndPieces() {
    Result r = run("tokenize", "--model", DATA.resolve("vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf").toString(),
        "--text", "Hello world", "--json");
    assertEquals(0, r.exit(), r.err());
    assertEquals("{\"ids\":[128000,9906,1917],\"pieces\":[\"<|begin_of_text|>\",\"Hello\",\"Ġworld\"]}", r.out().strip());
  }

  @Test
  void llama2cCheckpointWithTokenizer(@TempDir Path dir) throws IOException {
    Path checkpoint = dir.resolve("model.bin");
    ByteBuffer header = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(64).putInt(172).putInt(5).putInt(8).putInt(4).putInt(512).putInt(512);
    Files.write(checkpoint, header.array());
    Result r = run("tokenize", "--model", checkpoint.toString(), "--tokenizer", DATA.resolve("llama2c/tok512.bin").toString(),
        "--text", "Hello world");
    assertEquals(0, r.exit(), r.err());
    assertEquals("1 346 306 414 263 304 341", r.out().strip());
    Result missing = run("tokenize", "--model", checkpoint.toString(), "--text", "x");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().startsWith("edgeai: error: ") && missing.err().contains("--tokenizer"), missing.err());
  }

  @Test
  void missingTextIsAUsageError() {
    assertEquals(2, run("tokenize", "--model", "x.gguf").exit());
  }
}
