package ai.edgeai.vision.model;

import java.util.Locale;

/** What a model does; selects which component may load it. */
public enum Task {
  DETECTION("detection"),
  FACE_DETECTION("face-detection"),
  FACE_EMBEDDING("face-embedding"),
  REID_EMBEDDING("reid-embedding");

  private final String key;

  Task(String key) { this.key = key; }

  public String key() { return key; }

  public boolean isDetection() { return this == DETECTION || this == FACE_DETECTION; }

  static Task parse(String s) {
    for (Task t : values()) if (t.key.equals(s.toLowerCase(Locale.ROOT))) return t;
    return null;
  }
}
