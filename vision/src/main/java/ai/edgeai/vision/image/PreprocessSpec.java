package ai.edgeai.vision.image;

import java.util.Objects;

/**
 * How to turn an image into a model's NCHW float input.
 *
 * @param width input width in pixels
 * @param height input height in pixels
 * @param color channel order of the input planes
 * @param mean per input channel (in {@code color} order), subtracted from the 0..255 value
 * @param std per input channel, the difference is divided by it
 * @param resize stretch or letterbox
 * @param padValue raw 0..255 value of letterbox padding (normalised like pixels)
 * @param padCorner where the letterboxed image sits
 */
public record PreprocessSpec(
    int width, int height, ColorOrder color, float[] mean, float[] std, ResizeMode resize, float padValue, PadCorner padCorner) {

  public PreprocessSpec {
    if (width <= 0 || height <= 0) throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
    Objects.requireNonNull(color, "color");
    Objects.requireNonNull(resize, "resize");
    Objects.requireNonNull(padCorner, "padCorner");
    if (mean == null || mean.length != 3) throw new IllegalArgumentException("mean needs 3 values");
    if (std == null || std.length != 3) throw new IllegalArgumentException("std needs 3 values");
    for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std values must be > 0: " + s);
    mean = mean.clone();
    std = std.clone();
  }

  @Override public float[] mean() { return mean.clone(); }

  @Override public float[] std() { return std.clone(); }

  /** Same pre-processing at another input size (for models with dynamic input). */
  public PreprocessSpec withSize(int w, int h) {
    return new PreprocessSpec(w, h, color, mean, std, resize, padValue, padCorner);
  }
}
