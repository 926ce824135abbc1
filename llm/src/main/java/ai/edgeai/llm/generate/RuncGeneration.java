package ai.edgeai.llm.generate;

import ai.edgeai.llm.model.InferenceState;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.sampling.RuncSampler;
import ai.edgeai.llm.tokenizer.EncodeOptions;
import ai.edgeai.llm.tokenizer.RuncCompat;
import ai.edgeai.llm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.OutputStream;

/**
 * llama2.c run.c's {@code generate()}, reproduced: {@code steps} counts positions including the
 * prompt, the prompt is forced, generation stops when BOS (1) is sampled, and stdout gets exactly
 * what run.c prints (pieces through {@code safe_printf}, then a newline).
 */
public final class RuncGeneration {

  /** What run.c did, for the caller's statistics. */
  public record Outcome(int[] promptIds, int[] sequence, StopReason stopReason, long startNanos, long endNanos, int positions) {}

  private RuncGeneration() {}

  /**
   * @param seqLen the context length (run.c's {@code seq_len}); {@code steps} is clamped to it
   */
  public static Outcome run(LlamaModel model, Tokenizer tokenizer, String prompt, int steps, int seqLen, float temperature, float topp, long seed, OutputStream out)
      throws IOException {
    if (steps <= 0 || steps > seqLen) steps = seqLen;
    int[] promptIds = tokenizer.encode(prompt, new EncodeOptions(true, false));
    if (promptIds.length < 1) throw new IllegalArgumentException("expected at least 1 prompt token");
    RuncSampler sampler = new RuncSampler(model.config().vocabSize(), temperature, topp, seed);
    InferenceState s = model.newState(steps, false);
    int[] seq = new int[steps + 1];
    int token = promptIds[0];
    seq[0] = token;
    int pos = 0;
    long start = 0;
    StopReason reason = StopReason.LENGTH;
    while (pos < steps) {
      float[] logits = model.forward(s, token);
      int next = pos < promptIds.length - 1 ? promptIds[pos + 1] : sampler.sample(logits);
      pos++;
      seq[pos] = next;
      if (next == 1) {
        reason = StopReason.BOS;
        break;
      }
      out.write(RuncCompat.printable(RuncCompat.piece(tokenizer, token, next)));
      out.flush();
      token = next;
      if (start == 0) start = System.nanoTime();
    }
    out.write('\n');
    out.flush();
    return new Outcome(promptIds, java.util.Arrays.copyOf(seq, pos + 1), reason, start, System.nanoTime(), pos);
  }
}
