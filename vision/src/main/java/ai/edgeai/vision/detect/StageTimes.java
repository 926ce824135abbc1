package ai.edgeai.vision.detect;

/** Nanoseconds spent in each stage of one {@link Detector#detect} call. */
public record StageTimes(long preprocessNanos, long inferenceNanos, long postprocessNanos) {
  public long totalNanos() { return preprocessNanos + inferenceNanos + postprocessNanos; }
}
