package ai.edgeai.llm.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What distinguishes one decoder family from another inside the shared forward pass of
 * {@link LlamaModel}: RoPE layout, feed-forward activation, scalings, soft-capping and sliding-window
 * attention. The weights that only some families carry (biases, Q/K norms, post-norms) are in
 * {@link ExtraWeights}. Values follow llama.cpp's reading of the GGUF keys for each architecture.
 *
 * @param name the GGUF {@code general.architecture} (llama2.c checkpoints: {@code llama})
 * @param ropeLayout which dimensions RoPE rotates together
 * @param activation gate activation of the gated feed-forward block
 * @param embeddingScale factor applied to the token embedding (Gemma: sqrt(dim)); 1 for none
 * @param attentionScale factor applied to q·k before the softmax (usually 1/sqrt(head size))
 * @param scaleQueries whether llama.cpp applies attentionScale to q before the product (Phi-3, Gemma)
 *     rather than to the scores; the same in exact arithmetic, it decides where ggml rounds
 * @param attnSoftCap attention logit soft-cap {@code c·tanh(s/c)}; 0 for none (Gemma 2: 50)
 * @param finalSoftCap output logit soft-cap; 0 for none (Gemma 2: 30)
 * @param slidingWindow window of the sliding-window layers in positions (the current one included); 0 for none
 * @param slidingLayers which layers use the window (null when slidingWindow is 0)
 * @param ropeThetaLocal RoPE frequency base of the sliding-window layers
 * @param ropeScaleLocal linear RoPE scale of the sliding-window layers
 * @param ropeAttnFactor factor on RoPE's cos/sin ({@code rope.scaling.attn_factor}; Phi-3 LongRoPE); 1 for none
 * @param ropeOriginalContext context length beyond which Phi-3's long RoPE factors apply
 */
public record Architecture(
    String name,
    RopeLayout ropeLayout,
    Activation activation,
    float embeddingScale,
    float attentionScale,
    boolean scaleQueries,
    float attnSoftCap,
    float finalSoftCap,
    int slidingWindow,
    boolean[] slidingLayers,
    float ropeThetaLocal,
    float ropeScaleLocal,
    float ropeAttnFactor,
    int ropeOriginalContext) {

  /** RoPE pairing as llama.cpp names it. */
  public enum RopeLayout {
    /** Adjacent pairs (2i, 2i+1): Llama, Mistral (GGUF converters permute Q/K for it). */
    NORM,
    /** Pairs (i, i + d/2): Qwen, Phi-3, Gemma, GPT-NeoX. */
    NEOX
  }

  /** Gate activation of the gated feed-forward block {@code down(act(gate·x) * (up·x))}. */
  public enum Activation {
    SILU,
    /** GELU with the tanh approximation (gelu_pytorch_tanh). */
    GELU_TANH
  }

  public Architecture {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ropeLayout, "ropeLayout");
    Objects.requireNonNull(activation, "activation");
    if (!(embeddingScale > 0)) throw new IllegalArgumentException("embedding scale must be > 0: " + embeddingScale);
    if (!(attentionScale > 0)) throw new IllegalArgumentException("attention scale must be > 0: " + attentionScale);
    if (!(attnSoftCap >= 0)) throw new IllegalArgumentException("attention soft-cap must be >= 0: " + attnSoftCap);
    if (!(finalSoftCap >= 0)) throw new IllegalArgumentException("final logit soft-cap must be >= 0: " + finalSoftCap);
    if (slidingWindow < 0) throw new IllegalArgumentException("sliding window must be >= 0: " + slidingWindow);
    if (slidingWindow > 0 && slidingLayers == null) throw new IllegalArgumentException("a sliding window needs the layers it applies to");
    if (!(ropeThetaLocal > 0)) throw new IllegalArgumentException("local rope freq base must be > 0: " + ropeThetaLocal);
    if (!(ropeScaleLocal > 0)) throw new IllegalArgumentException("local rope scale must be > 0: " + ropeScaleLocal);
    if (!(ropeAttnFactor > 0)) throw new IllegalArgumentException("rope attention factor must be > 0: " + ropeAttnFactor);
    slidingLayers = slidingLayers == null ? null : slidingLayers.clone();
  }

  /** Plain Llama: NORM RoPE, SiLU, no scalings, caps or windows. */
  public static Architecture llama(String name, LlamaConfig c) {
    return new Architecture(name, RopeLayout.NORM, Activation.SILU, 1f, defaultAttentionScale(c), false, 0f, 0f, 0, null,
        c.ropeTheta(), c.ropeScale(), 1f, c.contextLength());
  }

  /** 1/sqrt(head size), computed as ggml does (in float). */
  static float defaultAttentionScale(LlamaConfig c) {
    return 1.0f / (float) Math.sqrt(c.headSize());
  }

  /** Whether layer {@code l} attends only to the last {@link #slidingWindow} positions. */
  public boolean isSliding(int l) {
    return slidingWindow > 0 && slidingLayers[l];
  }

  @Override
  public boolean[] slidingLayers() {
    return slidingLayers == null ? null : slidingLayers.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture a && name.equals(a.name) && ropeLayout == a.ropeLayout && activation == a.activation
        && Float.compare(embeddingScale, a.embeddingScale) == 0 && Float.compare(attentionScale, a.attentionScale) == 0 && scaleQueries == a.scaleQueries
        && Float.compare(attnSoftCap, a.attnSoftCap) == 0 && Float.compare(finalSoftCap, a.finalSoftCap) == 0
        && slidingWindow == a.slidingWindow && Arrays.equals(slidingLayers, a.slidingLayers)
        && Float.compare(ropeThetaLocal, a.ropeThetaLocal) == 0 && Float.compare(ropeScaleLocal, a.ropeScaleLocal) == 0
        && Float.compare(ropeAttnFactor, a.ropeAttnFactor) == 0 && ropeOriginalContext == a.ropeOriginalContext;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, ropeLayout, activation, embeddingScale, attentionScale, slidingWindow, Arrays.hashCode(slidingLayers));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name).append(" (rope ").append(ropeLayout).append(", ").append(activation);
    if (embeddingScale != 1f) b.append(", embedding ×").append(embeddingScale);
    if (attnSoftCap > 0) b.append(", attention soft-cap ").append(attnSoftCap);
    if (finalSoftCap > 0) b.append(", final soft-cap ").append(finalSoftCap);
    if (slidingWindow > 0) {
      int n = 0;
      for (boolean s : slidingLayers) if (s) n++;
      b.append(", sliding window ").append(slidingWindow).append(" on ").append(n).append('/').append(slidingLayers.length).append(" layers");
    }
    return b.append(')').toString();
  }
}
