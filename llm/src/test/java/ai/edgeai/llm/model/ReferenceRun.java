package ai.edgeai.llm.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A reference generation from ../shared/testdata/llm/ref (copied into test resources): the prompt
 * ids, the token fed at each position followed by the final prediction, whether the program stopped
 * on BOS, and the logits row of every position.
 */
record ReferenceRun(String name, int[] promptIds, int[] sequence, boolean stoppedOnBos, int vocab, float[][] logits) {

  static Path resource(String relative) {
    return ai.edgeai.llm.gguf.TestFiles.llm(relative);
  }

  static ReferenceRun load(String dirAndName) {
    try {
      String text = Files.readString(resource("ref/" + dirAndName + ".ids.txt"));
      int[] prompt = null;
      int[] seq = null;
      boolean bos = false;
      int rows = -1;
      int vocab = -1;
      for (String line : text.split("\n")) {
        String[] kv = line.split(":", 2);
        if (kv.length < 2) continue;
        String v = kv[1].trim();
        switch (kv[0].trim()) {
          case "prompt_ids" -> prompt = ints(v);
          case "sequence" -> {
            bos = v.endsWith("[stop:BOS]");
            seq = ints(v.replace("[stop:BOS]", "").trim());
          }
          case "n_logit_rows" -> rows = Integer.parseInt(v);
          case "vocab_size" -> vocab = Integer.parseInt(v);
          default -> {}
        }
      }
      float[][] logits = new float[rows][vocab];
      try (InputStream in = Files.newInputStream(resource("ref/" + dirAndName + ".logits.f32"))) {
        byte[] all = in.readAllBytes();
        if (all.length != 4L * rows * vocab) throw new IllegalStateException(dirAndName + ": logits file has " + all.length + " bytes, expected " + 4L * rows * vocab);
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) bb.asFloatBuffer().position(r * vocab).get(logits[r]);
      }
      return new ReferenceRun(dirAndName, prompt, seq, bos, vocab, logits);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] ints(String s) {
    if (s.isBlank()) return new int[0];
    return Arrays.stream(s.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
  }

  /** Smallest gap between the two largest logits of row {@code r}. */
  float top2Gap(int r) {
    float a = Float.NEGATIVE_INFINITY, b = Float.NEGATIVE_INFINITY;
    for (float x : logits[r]) {
      if (x > a) {
        b = a;
        a = x;
      } else if (x > b) {
        b = x;
      }
    }
    return a - b;
  }

  static int argmax(float[] v) {
    return ai.edgeai.llm.sampling.Sampler.argmax(v);
  }
}
