package ai.edgeai.vision;

/**
 * A vision failure a user can act on: an unreadable image, a missing model, a descriptor that does
 * not match its model. The message is one line naming the file, tensor or field that is wrong.
 */
public class VisionException extends RuntimeException {
  public VisionException(String message) {
    super(message);
  }

  public VisionException(String message, Throwable cause) {
    super(message, cause);
  }
}
