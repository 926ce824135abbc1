package ai.edgeai.vision.detect;

import java.util.Arrays;

/**
 * Decoded boxes before NMS, in model-input pixels, kept as parallel arrays so decoding thousands of
 * anchors allocates nothing per anchor. Reused across frames ({@link #clear()}).
 */
public final class Candidates {
  private final int landmarkCount;
  private float[] box = new float[4 * 256];
  private float[] score = new float[256];
  private int[] classId = new int[256];
  private float[] landmarks;
  private int size;

  /** @param landmarkCount key points per candidate (5 for faces), 0 for none */
  public Candidates(int landmarkCount) {
    this.landmarkCount = landmarkCount;
    this.landmarks = new float[Math.max(1, 256 * 2 * landmarkCount)];
  }

  public void clear() { size = 0; }

  public int size() { return size; }

  public int landmarkCount() { return landmarkCount; }

  /** Appends a candidate and returns its index (landmarks then go to {@link #landmarkOffset}). */
  public int add(float x1, float y1, float x2, float y2, float s, int cls) {
    if (size == score.length) grow();
    int i = size++;
    box[4 * i] = x1;
    box[4 * i + 1] = y1;
    box[4 * i + 2] = Math.max(x1, x2);
    box[4 * i + 3] = Math.max(y1, y2);
    score[i] = s;
    classId[i] = cls;
    return i;
  }

  private void grow() {
    int n = score.length * 2;
    box = Arrays.copyOf(box, 4 * n);
    score = Arrays.copyOf(score, n);
    classId = Arrays.copyOf(classId, n);
    if (landmarkCount > 0) landmarks = Arrays.copyOf(landmarks, n * 2 * landmarkCount);
  }

  /** Index in {@link #landmarks()} of candidate {@code i}'s first x; x,y pairs follow. */
  public int landmarkOffset(int i) { return i * 2 * landmarkCount; }

  public float[] landmarks() { return landmarks; }

  public float x1(int i) { return box[4 * i]; }

  public float y1(int i) { return box[4 * i + 1]; }

  public float x2(int i) { return box[4 * i + 2]; }

  public float y2(int i) { return box[4 * i + 3]; }

  public float score(int i) { return score[i]; }

  public int classId(int i) { return classId[i]; }

  float iou(int a, int b) {
    float iw = Math.min(x2(a), x2(b)) - Math.max(x1(a), x1(b));
    float ih = Math.min(y2(a), y2(b)) - Math.max(y1(a), y1(b));
    if (iw <= 0 || ih <= 0) return 0;
    float inter = iw * ih;
    float union = (x2(a) - x1(a)) * (y2(a) - y1(a)) + (x2(b) - x1(b)) * (y2(b) - y1(b)) - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
