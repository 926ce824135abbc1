package ai.edgeai.vision.image;

/** How an image is fitted into a model's fixed input size. */
public enum ResizeMode {
  /** Scale each axis independently to fill the input (aspect ratio not kept). */
  STRETCH,
  /** Scale by one factor so the whole image fits, pad the rest with a constant value. */
  LETTERBOX
}
