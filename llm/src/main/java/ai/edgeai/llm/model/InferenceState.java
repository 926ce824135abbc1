package ai.edgeai.llm.model;

/**
 * Activations and the KV cache for one sequence. Allocated once; {@link LlamaModel#forward} reuses
 * every buffer, so decoding allocates nothing.
 */
public final class InferenceState {

  final int contextLength;
  final boolean f16Cache;
  final float[] x;
  final float[] xb;
  final float[] xb2;
  final float[] hb;
  final float[] hb2;
  final float[] q;
  final float[] k;
  final float[] v;
  final float[] att;
  final float[] logits;
  final float[] ropeCos;
  final float[] ropeSin;
  // RoPE of sliding-window layers, which may use another base (Gemma 3).
  final float[] ropeCosLocal;
  final float[] ropeSinLocal;
  // KV cache per layer, [position][kvDim]: F32 or F16 (bits in shorts).
  final float[][] keyCache;
  final float[][] valueCache;
  final short[][] keyCache16;
  final short[][] valueCache16;
  int position; // next position to fill (tokens in the cache)

  InferenceState(LlamaConfig c, int contextLength, boolean f16Cache) {
    if (contextLength < 1) throw new IllegalArgumentException("context length must be >= 1, got " + contextLength);
    this.contextLength = contextLength;
    this.f16Cache = f16Cache;
    x = new float[c.dim()];
    xb = new float[Math.max(c.dim(), c.qDim())];
    xb2 = new float[c.dim()];
    hb = new float[c.hiddenDim()];
    hb2 = new float[c.hiddenDim()];
    q = new float[c.qDim()];
    k = new float[c.kvDim()];
    v = new float[c.kvDim()];
    att = new float[c.heads() * contextLength];
    logits = new float[c.vocabSize()];
    ropeCos = new float[c.ropeDims() / 2];
    ropeSin = new float[c.ropeDims() / 2];
    ropeCosLocal = new float[c.ropeDims() / 2];
    ropeSinLocal = new float[c.ropeDims() / 2];
    long cacheFloats = (long) contextLength * c.kvDim();
    if (cacheFloats > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("context length " + contextLength + " too large for one layer's cache");
    if (f16Cache) {
      keyCache16 = new short[c.layers()][(int) cacheFloats];
      valueCache16 = new short[c.layers()][(int) cacheFloats];
      keyCache = null;
      valueCache = null;
    } else {
      keyCache = new float[c.layers()][(int) cacheFloats];
      valueCache = new float[c.layers()][(int) cacheFloats];
      keyCache16 = null;
      valueCache16 = null;
    }
  }

  public int contextLength() {
    return contextLength;
  }

  /** Number of positions already in the KV cache. */
  public int position() {
    return position;
  }

  /** Forgets positions from {@code pos} on (e.g. to reuse a shared conversation prefix). */
  public void truncate(int pos) {
    if (pos < 0 || pos > position) throw new IllegalArgumentException("cannot truncate to " + pos + " (cache holds " + position + ")");
    position = pos;
  }

  /** The logits of the last forward pass (owned by the state; overwritten by the next pass). */
  public float[] logits() {
    return logits;
  }

  /** Bytes held by the KV cache. */
  public long kvCacheBytes() {
    if (f16Cache) return 2L * keyCache16.length * keyCache16[0].length * 2;
    return 2L * keyCache.length * keyCache[0].length * 4;
  }
}
