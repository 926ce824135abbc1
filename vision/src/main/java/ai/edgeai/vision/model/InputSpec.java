package ai.edgeai.vision.model;

import ai.edgeai.vision.image.PreprocessSpec;
import java.util.Objects;

/**
 * The model's image input: tensor name, layout and pre-processing. Only NCHW float inputs are
 * supported (every model in the catalogue uses it).
 */
public record InputSpec(String name, String layout, PreprocessSpec preprocess) {
  public InputSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(preprocess, "preprocess");
    if (!"NCHW".equals(layout)) throw new IllegalArgumentException("only NCHW input layout is supported, got " + layout);
  }
}
