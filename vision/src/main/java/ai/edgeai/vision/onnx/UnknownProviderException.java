package ai.edgeai.vision.onnx;

/** A provider name that is not an ONNX Runtime execution provider at all: a usage error. */
public final class UnknownProviderException extends IllegalArgumentException {
  public UnknownProviderException(String message) {
    super(message);
  }
}
