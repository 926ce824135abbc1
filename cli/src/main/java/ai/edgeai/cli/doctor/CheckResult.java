package ai.edgeai.cli.doctor;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one optional-part check.
 *
 * @param name what was checked (e.g. {@code ffmpeg})
 * @param state {@code ok}, {@code missing} or {@code failed}
 * @param detail what was found, one line
 * @param fix how to make it work; null when the state is ok
 */
public record CheckResult(String name, String state, String detail, String fix) {

  /** Possible states. */
  public enum State {
    OK, MISSING, FAILED;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CheckResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
  }

  static CheckResult ok(String name, String detail) {
    return new CheckResult(name, State.OK.json(), detail, null);
  }

  static CheckResult missing(String name, String detail, String fix) {
    return new CheckResult(name, State.MISSING.json(), detail, fix);
  }

  static CheckResult failed(String name, String detail, String fix) {
    return new CheckResult(name, State.FAILED.json(), detail, fix);
  }
}
