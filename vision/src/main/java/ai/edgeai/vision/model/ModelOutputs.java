package ai.edgeai.vision.model;

import java.util.Arrays;
import java.util.List;

/**
 * The float outputs of one run, copied into arrays that are reused across runs. Shapes are the
 * runtime shapes, which decoders use to identify outputs whose static names/shapes are unreliable.
 */
public final class ModelOutputs {
  private final List<String> names;
  private final long[][] shapes;
  private final float[][] data;

  ModelOutputs(List<String> names) {
    this.names = List.copyOf(names);
    this.shapes = new long[names.size()][];
    this.data = new float[names.size()][];
  }

  /** Outputs built from arrays (for decoders' tests and callers running models themselves). */
  public static ModelOutputs of(List<String> names, List<long[]> shapes, List<float[]> values) {
    if (names.size() != shapes.size() || names.size() != values.size()) throw new IllegalArgumentException("names, shapes and values differ in count");
    ModelOutputs o = new ModelOutputs(names);
    for (int i = 0; i < names.size(); i++) o.set(i, shapes.get(i).clone(), java.nio.FloatBuffer.wrap(values.get(i)));
    return o;
  }

  void set(int i, long[] shape, java.nio.FloatBuffer values) {
    shapes[i] = shape;
    int n = values.remaining();
    if (data[i] == null || data[i].length != n) data[i] = new float[n];
    values.get(values.position(), data[i]); // absolute: leaves the (possibly reused) buffer's position alone
  }

  public int count() { return names.size(); }

  public String name(int i) { return names.get(i); }

  public long[] shape(int i) { return shapes[i].clone(); }

  /** Last dimension of output {@code i} (e.g. 85 for YOLOX, 80 for a class tensor). */
  public long lastDim(int i) { return shapes[i][shapes[i].length - 1]; }

  /** The values of output {@code i}, row-major; valid until the next run. */
  public float[] data(int i) { return data[i]; }

  /** Index of the output named {@code name}. */
  public int index(String name) {
    int i = names.indexOf(name);
    if (i < 0) throw new IllegalArgumentException("model has no output '" + name + "' (outputs: " + names + ")");
    return i;
  }

  public float[] data(String name) { return data[index(name)]; }

  /** "name [d0, d1, ...]" for each output, for error messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(names.get(i)).append(' ').append(Arrays.toString(shapes[i]));
    }
    return sb.toString();
  }
}
