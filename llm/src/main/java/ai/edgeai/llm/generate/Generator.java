package ai.edgeai.llm.generate;

import ai.edgeai.llm.model.InferenceState;
import ai.edgeai.llm.model.LlamaModel;
import ai.edgeai.llm.sampling.ChainSampler;
import ai.edgeai.llm.sampling.Sampler;
import ai.edgeai.llm.tokenizer.TokenDecoder;
import ai.edgeai.llm.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Runs prompts through a model and samples continuations, streaming text as it is decoded. A
 * generator keeps one {@link InferenceState}: a new prompt that starts with the tokens already in
 * the cache only evaluates the new tail (multi-turn chat reuses the KV cache this way).
 */
public final class Generator {

  /** Receives decoded text as it becomes complete UTF-8. */
  @FunctionalInterface
  public interface TextListener {
    void onText(String text);
  }

  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final InferenceState state;
  private int[] cached = new int[0]; // tokens whose keys/values are in the state, in order

  public Generator(LlamaModel model, Tokenizer tokenizer, int contextLength, boolean f16Cache) {
    this.model = Objects.requireNonNull(model);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.state = model.newState(contextLength, f16Cache);
  }

  public LlamaModel model() {
    return model;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public int contextLength() {
    return state.contextLength();
  }

  /** Forgets the cache. */
  public void reset() {
    state.truncate(0);
    cached = new int[0];
  }

  /** Tokens currently in the KV cache. */
  public int cachedTokens() {
    return cached.length;
  }

  public GenerationResult generate(GenerationRequest req, TextListener listener) {
    return generate(req, listener, () -> false);
  }

  /**
   * Generates; {@code cancelled} is polled between tokens.
   *
   * @throws IllegalArgumentException when the prompt does not fit the context
   */
  public GenerationResult generate(GenerationRequest req, TextListener listener, BooleanSupplier cancelled) {
    int[] prompt = req.promptIds();
    if (prompt.length > state.contextLength()) {
      throw new IllegalArgumentException("prompt has " + prompt.length + " tokens, the context holds " + state.contextLength());
    }
    // Reuse the longest cached prefix, but always evaluate at least the last prompt token to get logits.
    int common = 0;
    while (common < cached.length && common < prompt.length - 1 && cached[common] == prompt[common]) common++;
    state.truncate(common);

    long t0 = System.nanoTime();
    // The prompt goes through as matrix x matrix batches (same logits as token by token, faster).
    float[] logits = model.forwardBatch(state, Arrays.copyOfRange(prompt, common, prompt.length));
    long t1 = System.nanoTime();
    int evaluated = prompt.length - common;

    Sampler sampler = new ChainSampler(tokenizer.vocabularySize() > 0 ? logits.length : logits.length, req.sampling());
    for (int id : prompt) sampler.accept(id);
    TokenDecoder decoder = tokenizer.newDecoder();
    StringBuilder text = new StringBuilder();
    int[] out = new int[Math.max(16, Math.min(req.maxNewTokens(), 4096))];
    int n = 0;
    StopReason reason = StopReason.LENGTH;
    int emitted = 0; // chars of text already passed to the listener
    int holdBack = req.stop().stream().mapToInt(String::length).max().orElse(1) - 1;
    long decodeStart = System.nanoTime();
    while (true) {
      if (n >= req.maxNewTokens()) {
        reason = StopReason.LENGTH;
        break;
      }
      if (cancelled.getAsBoolean()) {
        reason = StopReason.CANCELLED;
        break;
      }
      int next = sampler.sample(logits);
      sampler.accept(next);
      if (req.stopOnEos() && (next == tokenizer.eos() || next == tokenizer.eot())) {
        reason = StopReason.EOS;
        break;
      }
      if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
      out[n++] = next;
      text.append(decoder.accept(next));
      int stopAt = findStop(text, req, emitted);
      if (stopAt >= 0) {
        text.setLength(stopAt);
        reason = StopReason.STOP;
        break;
      }
      // Hold back a possible beginning of a stop string until it is decided.
      int safe = Math.max(emitted, text.length() - holdBack);
      if (safe > emitted) {
        listener.onText(text.substring(emitted, safe));
        emitted = safe;
      }
      if (state.position() >= state.contextLength()) {
        reason = StopReason.CONTEXT;
        break;
      }
      logits = model.forward(state, next);
    }
    if (reason != StopReason.STOP) text.append(decoder.flush());
    if (text.length() > emitted) listener.onText(text.substring(emitted));
    long t2 = System.nanoTime();
    int[] generated = Arrays.copyOf(out, n);
    // The cache holds the prompt plus every generated token that was fed back.
    int[] nowCached = new int[state.position()];
    System.arraycopy(prompt, 0, nowCached, 0, Math.min(prompt.length, nowCached.length));
    for (int i = prompt.length; i < nowCached.length; i++) nowCached[i] = generated[i - prompt.length];
    cached = nowCached;
    return new GenerationResult(prompt, generated, text.toString(), reason, evaluated, t1 - t0, t2 - decodeStart);
  }

  private static int findStop(StringBuilder text, GenerationRequest req, int from) {
    int best = -1;
    for (String s : req.stop()) {
      int i = text.indexOf(s, Math.max(0, from - s.length()));
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }
}
