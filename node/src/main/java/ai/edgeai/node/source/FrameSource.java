package ai.edgeai.node.source;

/** A camera: produces frames on its own thread until closed, restarting itself when its input fails. */
public interface FrameSource extends AutoCloseable {
  void start(FrameSink sink);

  /** Frames this source read but did not hand on because of its fps limit. */
  default long skipped() {
    return 0;
  }

  @Override
  void close();
}
