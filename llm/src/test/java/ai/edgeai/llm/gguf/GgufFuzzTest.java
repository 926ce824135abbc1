package ai.edgeai.llm.gguf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.edgeai.llm.tensor.Tensor;
import ai.edgeai.llm.tensor.UnsupportedTensorTypeException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded truncations and byte flips of the shared model files: every outcome is a clean parse or a
 * {@link ModelFormatException}; parsed files also have every tensor opened and a row dequantized.
 */
class GgufFuzzTest {

  @TempDir Path tmp;

  /** Outcome counts, for the failure message and to prove both paths were exercised. */
  private int parsed, rejected, unsupported;

  @ParameterizedTest
  @CsvSource({"gguf/stories260K-f32.gguf, 1500", "gguf/stories260K-Q8_0.gguf, 1500", "gguf/stories260K-Q4_0.gguf, 1500",
    "gguf/llama-2-tiny-random.gguf, 300"})
  void mutatedFilesFailOnlyWithModelFormatException(String file, int iterations) throws IOException {
    byte[] original = Files.readAllBytes(TestFiles.llm(file));
    int headerEnd;
    try (GgufFile f = GgufFile.open(TestFiles.llm(file))) {
      headerEnd = (int) f.dataOffset();
    }
    Random rnd = new Random(file.hashCode() * 31L + iterations);
    for (int i = 0; i < iterations; i++) {
      byte[] b;
      String what;
      if (i % 3 == 0) {
        // truncation, mostly inside the header where every cut lands on a different field
        int len = rnd.nextInt(10) < 8 ? rnd.nextInt(headerEnd + 1) : rnd.nextInt(original.length);
        b = java.util.Arrays.copyOf(original, len);
        what = "truncated to " + len;
      } else {
        b = original.clone();
        StringBuilder sb = new StringBuilder("flipped");
        int flips = 1 + rnd.nextInt(4);
        for (int k = 0; k < flips; k++) {
          int pos = rnd.nextInt(10) < 9 ? rnd.nextInt(headerEnd) : rnd.nextInt(b.length);
          byte v = switch (rnd.nextInt(4)) {
            case 0 -> (byte) (b[pos] ^ (1 << rnd.nextInt(8)));
            case 1 -> (byte) 0xFF;
            case 2 -> 0;
            default -> (byte) rnd.nextInt(256);
          };
          sb.append(' ').append(pos).append('=').append(v & 0xFF);
          b[pos] = v;
        }
        what = sb.toString();
      }
      check(file, i, what, b);
    }
    assertTrue(rejected > 0 && parsed > 0, "parsed " + parsed + ", rejected " + rejected);
  }

  private void check(String file, int i, String what, byte[] bytes) {
    GgufFile f;
    try {
      f = GgufFile.parse(Path.of(file), MemorySegment.ofArray(bytes));
    } catch (ModelFormatException e) {
      rejected++;
      return;
    } catch (Throwable t) {
      throw new AssertionError(file + " iteration " + i + " (" + what + "): " + t, t);
    }
    try (f) {
      for (var info : f.tensors()) {
        Tensor t;
        try {
          t = f.openTensor(info);
        } catch (UnsupportedTensorTypeException e) {
          unsupported++; // a valid ggml type we do not compute with (e.g. a flipped id naming IQ2_XXS)
          continue;
        }
        float[] row = new float[t.cols()];
        t.dequantizeRow(0, row, 0);
        t.dequantizeRow(t.rows() - 1, row, 0);
      }
      f.metadata().keys().forEach(k -> f.metadata().get(k));
      parsed++;
    } catch (ModelFormatException e) {
      rejected++;
    } catch (Throwable t) {
      throw new AssertionError(file + " iteration " + i + " (" + what + ") parsed, then: " + t, t);
    }
  }

  @Test
  void truncatedFilesOnDiskToo() throws IOException {
    byte[] original = Files.readAllBytes(TestFiles.llm("gguf/stories260K-Q4_0.gguf"));
    Random rnd = new Random(7);
    Path p = tmp.resolve("cut.gguf");
    for (int i = 0; i < 50; i++) {
      int len = i == 0 ? 0 : rnd.nextInt(original.length);
      Files.write(p, java.util.Arrays.copyOf(original, len));
      try (GgufFile f = GgufFile.open(p)) {
        f.tensors().forEach(f::openTensor);
      } catch (ModelFormatException e) {
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
      }
    }
  }

  /**
   * The llama2.c checkpoint reader and tokenizer.bin reader under the same contract: truncations
   * and header byte flips fail with a ModelFormatException (or load cleanly), nothing else.
   */
  @Test
  void llama2cCheckpointFuzz() throws Exception {
    byte[] model = Files.readAllBytes(TestFiles.llm("llama2c/stories260K.bin"));
    byte[] tok = Files.readAllBytes(TestFiles.llm("llama2c/tok512.bin"));
    Random rnd = new Random(260);
    Path m = tmp.resolve("m.bin"), t = tmp.resolve("t.bin");
    for (int i = 0; i < 300; i++) {
      byte[] mb = model, tb = tok;
      String what;
      if (i % 2 == 0) {
        boolean cutModel = rnd.nextBoolean();
        int len = rnd.nextInt(cutModel ? model.length : tok.length);
        if (cutModel) mb = java.util.Arrays.copyOf(model, len); else tb = java.util.Arrays.copyOf(tok, len);
        what = (cutModel ? "model" : "tokenizer") + " truncated to " + len;
      } else {
        boolean flipModel = rnd.nextBoolean();
        byte[] b = (flipModel ? model : tok).clone();
        int pos = flipModel ? rnd.nextInt(28) : rnd.nextInt(b.length);
        b[pos] = (byte) rnd.nextInt(256);
        if (flipModel) mb = b; else tb = b;
        what = (flipModel ? "model" : "tokenizer") + " byte " + pos + " = " + (b[pos] & 0xFF);
      }
      Files.write(m, mb);
      Files.write(t, tb);
      try (var model260k = ai.edgeai.llm.model.LlamaModel.load(m, 1)) {
        ai.edgeai.llm.tokenizer.Tokenizers.fromLlama2c(t, model260k.config().vocabSize());
      } catch (ModelFormatException e) {
        assertTrue(e.getMessage().contains(m.toString()) || e.getMessage().contains(t.toString()), e.getMessage());
      } catch (Exception e) {
        fail("iteration " + i + " (" + what + "): " + e, e);
      }
    }
  }
}
