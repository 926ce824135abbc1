package ai.edgeai.server.engine;

/** Every slot is busy and the waiting line is full; try again after {@link #retryAfterSeconds()}. */
public final class QueueFullException extends Exception {

  private final int retryAfterSeconds;

  public QueueFullException(int waiting, int retryAfterSeconds) {
    super("the server is busy: all slots are generating and " + waiting + " requests are waiting; retry after " + retryAfterSeconds + " s");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
