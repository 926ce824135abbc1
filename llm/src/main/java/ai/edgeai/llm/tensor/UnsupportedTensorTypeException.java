package ai.edgeai.llm.tensor;

/** A tensor's type is a valid ggml type that this engine cannot compute with (e.g. IQ2_XXS). */
public class UnsupportedTensorTypeException extends RuntimeException {
  public UnsupportedTensorTypeException(String tensor, GgmlType type) {
    super("tensor '" + tensor + "' has type " + type + ", which edgeai does not support yet");
  }
}
