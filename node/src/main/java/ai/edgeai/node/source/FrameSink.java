package ai.edgeai.node.source;

/** Receives a source's frames and its online/offline changes (called from the source's thread). */
public interface FrameSink {
  void frame(Frame frame);

  /**
   * The camera came online (first frame after a start or an outage) or went offline.
   *
   * @param reason why it went offline (the process exit, the HTTP error...), or what came back
   */
  void status(boolean online, String reason);
}
