package ai.edgeai.vision.onnx;

import java.util.Objects;

/**
 * How to open an ONNX Runtime session.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime pick (all cores)
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime pick
 * @param optimization graph optimisation level
 * @param provider execution provider name ("cpu", "cuda", ...), parsed with {@link ExecutionProvider#parse}
 */
public record SessionConfig(int intraOpThreads, int interOpThreads, Optimization optimization, String provider) {

  /** Graph optimisation levels, from none to all (layout transformations included). */
  public enum Optimization { NONE, BASIC, EXTENDED, ALL }

  public SessionConfig {
    if (intraOpThreads < 0) throw new IllegalArgumentException("intraOpThreads must be >= 0: " + intraOpThreads);
    if (interOpThreads < 0) throw new IllegalArgumentException("interOpThreads must be >= 0: " + interOpThreads);
    Objects.requireNonNull(optimization, "optimization");
    provider = provider == null ? "cpu" : provider;
    ExecutionProvider.parse(provider); // fail early on a typo
  }

  /** CPU, all optimisations, ONNX Runtime's default thread counts. */
  public static SessionConfig defaults() {
    return new SessionConfig(0, 0, Optimization.ALL, "cpu");
  }

  public SessionConfig withThreads(int intraOp) {
    return new SessionConfig(intraOp, interOpThreads, optimization, provider);
  }

  public SessionConfig withProvider(String name) {
    return new SessionConfig(intraOpThreads, interOpThreads, optimization, name);
  }
}
