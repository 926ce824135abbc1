package ai.edgeai.server.chat;

/** A chat template failed to render, or raised an error itself (e.g. "System role not supported"). */
public final class TemplateException extends RuntimeException {

  private final boolean raisedByTemplate;

  public TemplateException(String message, boolean raisedByTemplate) {
    super(message);
    this.raisedByTemplate = raisedByTemplate;
  }

  /** True when the template called {@code raise_exception}: the conversation, not the template, is at fault. */
  public boolean raisedByTemplate() {
    return raisedByTemplate;
  }
}
