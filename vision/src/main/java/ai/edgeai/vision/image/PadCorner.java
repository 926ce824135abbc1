package ai.edgeai.vision.image;

/** Where a letterboxed image sits inside the padded input. */
public enum PadCorner {
  /** Image at (0, 0), padding right and bottom (YOLOX, YuNet). */
  TOP_LEFT,
  /** Image centred, padding split on both sides (Ultralytics). */
  CENTER
}
