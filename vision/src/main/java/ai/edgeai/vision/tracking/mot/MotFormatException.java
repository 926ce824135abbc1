package ai.edgeai.vision.tracking.mot;

import java.io.IOException;

/** A MOTChallenge file that cannot be read; the message names the file and line. */
public final class MotFormatException extends IOException {
  public MotFormatException(String message) {
    super(message);
  }
}
