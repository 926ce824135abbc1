package ai.edgeai.vision.model;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The float outputs of one run. Outputs ONNX Runtime wrote into the model's pinned buffers are read
 * in place through {@link #values(int)} and copied into a reused array only when {@link #data(int)}
 * asks for one (a YOLOX output is 1.2 MB: copying it every frame cost time and cache); other outputs
 * are copied into reused arrays as the run ends. Shapes are the runtime shapes, which decoders use to
 * identify outputs whose static names/shapes are unreliable.
 */
public final class ModelOutputs {
  private final List<String> names;
  private final long[][] shapes;
  private final float[][] data;
  // Read-only views: of a pinned output buffer (copied into data[i] on demand while stale[i]), or of data[i].
  private final FloatBuffer[] views;
  private final FloatBuffer[] viewSources;
  private final boolean[] stale;

  ModelOutputs(List<String> names) {
    this.names = List.copyOf(names);
    this.shapes = new long[names.size()][];
    this.data = new float[names.size()][];
    this.views = new FloatBuffer[names.size()];
    this.viewSources = new FloatBuffer[names.size()];
    this.stale = new boolean[names.size()];
  }

  /** Outputs built from arrays (for decoders' tests and callers running models themselves). */
  public static ModelOutputs of(List<String> names, List<long[]> shapes, List<float[]> values) {
    if (names.size() != shapes.size() || names.size() != values.size()) throw new IllegalArgumentException("names, shapes and values differ in count");
    ModelOutputs o = new ModelOutputs(names);
    for (int i = 0; i < names.size(); i++) o.set(i, shapes.get(i).clone(), java.nio.FloatBuffer.wrap(values.get(i)));
    return o;
  }

  /** Copies {@code values} (which the caller may free afterwards). */
  void set(int i, long[] shape, FloatBuffer values) {
    shapes[i] = shape;
    stale[i] = false;
    int n = values.remaining();
    if (data[i] == null || data[i].length != n) {
      data[i] = new float[n];
      views[i] = null;
    }
    values.get(values.position(), data[i]); // absolute: leaves the (possibly reused) buffer's position alone
    if (views[i] == null || viewSources[i] != null) {
      views[i] = FloatBuffer.wrap(data[i]).asReadOnlyBuffer();
      viewSources[i] = null;
    }
  }

  /** Refers to {@code values}, a buffer that stays valid and unchanged until the next run, without copying it. */
  void setPinned(int i, long[] shape, FloatBuffer values) {
    shapes[i] = shape;
    stale[i] = true;
    if (viewSources[i] != values) {
      views[i] = values.slice().asReadOnlyBuffer();
      viewSources[i] = values;
    }
  }

  public int count() { return names.size(); }

  public String name(int i) { return names.get(i); }

  public long[] shape(int i) { return shapes[i].clone(); }

  /** Last dimension of output {@code i} (e.g. 85 for YOLOX, 80 for a class tensor). */
  public long lastDim(int i) { return shapes[i][shapes[i].length - 1]; }

  /** The values of output {@code i}, row-major, in an array reused across runs; valid until the next run. */
  public float[] data(int i) {
    if (stale[i]) {
      FloatBuffer v = views[i];
      if (data[i] == null || data[i].length != v.capacity()) data[i] = new float[v.capacity()];
      v.get(0, data[i]);
      stale[i] = false;
    }
    return data[i];
  }

  /**
   * The values of output {@code i}, row-major, read in place without a copy where the run wrote them
   * into a pinned buffer: a read-only buffer to index absolutely from 0 (its capacity is the value
   * count); valid until the next run.
   */
  public FloatBuffer values(int i) { return views[i]; }

  /** {@link #values(int)} of the output named {@code name}. */
  public FloatBuffer values(String name) { return views[index(name)]; }

  /** Index of the output named {@code name}. */
  public int index(String name) {
    int i = names.indexOf(name);
    if (i < 0) throw new IllegalArgumentException("model has no output '" + name + "' (outputs: " + names + ")");
    return i;
  }

  public float[] data(String name) { return data(index(name)); }

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
