package ai.edgeai.llm.model;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a published model, for {@link ModelSynthesizer}: random weights in the real
 * geometry are enough to measure speed and memory.
 *
 * @param llama3RopeFactor Llama 3.1/3.2 frequency scaling factor (0 = none); low 1, high 4, original context 8192
 */
public record ModelPreset(
    String name,
    int dim,
    int hiddenDim,
    int layers,
    int heads,
    int kvHeads,
    int vocabSize,
    int contextLength,
    float ropeTheta,
    boolean tiedEmbeddings,
    float llama3RopeFactor) {

  public static final List<ModelPreset> ALL = List.of(
      new ModelPreset("llama-3.2-1b", 2048, 8192, 16, 32, 8, 128256, 131072, 500000f, true, 32f),
      new ModelPreset("llama-3.2-3b", 3072, 8192, 28, 24, 8, 128256, 131072, 500000f, true, 32f),
      new ModelPreset("tinyllama-1.1b", 2048, 5632, 22, 32, 4, 32000, 2048, 10000f, false, 0f),
      new ModelPreset("smollm2-135m", 576, 1536, 30, 9, 3, 49152, 8192, 100000f, true, 0f),
      new ModelPreset("smollm2-360m", 960, 2560, 32, 15, 5, 49152, 8192, 100000f, true, 0f));

  public static ModelPreset byName(String name) {
    for (ModelPreset p : ALL) if (p.name.equals(name.toLowerCase(Locale.ROOT))) return p;
    throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + ALL.stream().map(ModelPreset::name).toList() + ")");
  }

  public int headSize() {
    return dim / heads;
  }

  /**
   * Per-pair RoPE frequency divisors as Llama 3.1/3.2 define them: wavelengths shorter than
   * 8192/4 keep their frequency, longer than 8192/1 are divided by the factor, and the band between
   * is interpolated smoothly.
   */
  public float[] ropeFreqFactors() {
    if (llama3RopeFactor == 0f) return null;
    int d = headSize();
    double low = 1, high = 4, old = 8192;
    double lowWavelen = old / low, highWavelen = old / high;
    float[] out = new float[d / 2];
    for (int i = 0; i < d / 2; i++) {
      double freq = 1.0 / Math.pow(ropeTheta, (2.0 * i) / d);
      double wavelen = 2 * Math.PI / freq;
      if (wavelen < highWavelen) out[i] = 1f;
      else if (wavelen > lowWavelen) out[i] = llama3RopeFactor;
      else {
        double smooth = (old / wavelen - low) / (high - low);
        out[i] = (float) (1 / ((1 - smooth) / llama3RopeFactor + smooth));
      }
    }
    return out;
  }
}
