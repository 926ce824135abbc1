package ai.edgeai.llm.tensor;

/**
 * An activation vector quantized to ggml's Q8_0 blocks, the way llama.cpp's CPU backend rounds the
 * input of every matrix product with Q8_0/Q4_0 weights: per block of 32, {@code d = amax / 127}
 * stored as F16, {@code q = round-half-even(x * 127 / amax)}. Dot products then run in integers with
 * one float multiply per block, which is both what makes our logits match llama.cpp's and cheaper
 * than float math.
 *
 * <p>Reused across calls: {@link #quantize} overwrites the contents and allocates nothing.
 */
public final class Q8Activations {

  final byte[] qs;
  final float[] d; // per-block scale, already rounded through F16
  private int length;

  /** Room for vectors of up to {@code capacity} elements (rounded up to whole blocks). */
  public Q8Activations(int capacity) {
    int blocks = (capacity + 31) / 32;
    qs = new byte[blocks * 32];
    d = new float[blocks];
  }

  public int length() {
    return length;
  }

  /** Quantizes {@code x[0..n)}; {@code n} must be a multiple of 32. */
  public void quantize(float[] x, int n) {
    if (n % 32 != 0) throw new IllegalArgumentException("length " + n + " is not a multiple of 32");
    if (n > qs.length) throw new IllegalArgumentException("length " + n + " exceeds capacity " + qs.length);
    for (int b = 0; b < n / 32; b++) {
      int o = b * 32;
      float amax = 0f;
      for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
      float scale = amax / 127f;
      float id = amax != 0f ? 127f / amax : 0f;
      d[b] = Float.float16ToFloat(Float.floatToFloat16(scale));
      for (int j = 0; j < 32; j++) qs[o + j] = (byte) Math.rint(x[o + j] * id);
    }
    length = n;
  }

  /** The quantized value of element {@code i} (for tests). */
  public int q(int i) {
    return qs[i];
  }

  /** The F16-rounded scale of block {@code b} (for tests). */
  public float scale(int b) {
    return d[b];
  }
}
