package ai.edgeai.vision.tracking.multicam;

import java.util.HashMap;
import java.util.Map;

/**
 * Which camera can follow which, and how long the walk between them takes. An empty topology
 * allows every transition at any delay (within the registry's time window). With entries, a track
 * in camera {@code to} may only take the identity last seen in camera {@code from} when there is an
 * entry from → to whose [min, max] seconds contains the elapsed time; the same camera (re-entry)
 * is allowed when an entry from → from exists.
 */
public final class CameraTopology {

  /** Transit time between two cameras, in seconds. */
  public record Transit(double minSeconds, double maxSeconds) {
    public Transit {
      if (!(minSeconds >= 0 && maxSeconds >= minSeconds)) {
        throw new IllegalArgumentException("transit needs 0 ≤ min ≤ max: " + minSeconds + ".." + maxSeconds);
      }
    }
  }

  private final Map<String, Map<String, Transit>> links = new HashMap<>();

  public static CameraTopology any() {
    return new CameraTopology();
  }

  /** Adds a link from → to (one direction); returns this for chaining. */
  public CameraTopology link(String from, String to, double minSeconds, double maxSeconds) {
    links.computeIfAbsent(from, k -> new HashMap<>()).put(to, new Transit(minSeconds, maxSeconds));
    return this;
  }

  /** Adds links both ways. */
  public CameraTopology linkBoth(String a, String b, double minSeconds, double maxSeconds) {
    return link(a, b, minSeconds, maxSeconds).link(b, a, minSeconds, maxSeconds);
  }

  public boolean isUnconstrained() {
    return links.isEmpty();
  }

  public boolean allows(String from, String to, double elapsedSeconds) {
    if (links.isEmpty()) return true;
    Transit t = links.getOrDefault(from, Map.of()).get(to);
    return t != null && elapsedSeconds >= t.minSeconds() && elapsedSeconds <= t.maxSeconds();
  }
}
