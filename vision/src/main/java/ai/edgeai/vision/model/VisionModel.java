package ai.edgeai.vision.model;

import ai.edgeai.vision.BoundingBox;
import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.image.Frame;
import ai.edgeai.vision.image.ImageTransform;
import ai.edgeai.vision.image.Preprocessor;
import ai.edgeai.vision.onnx.ExecutionProvider;
import ai.edgeai.vision.onnx.OnnxSessions;
import ai.edgeai.vision.onnx.SessionConfig;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model with a single NCHW image input, opened and checked against its descriptor. Holds
 * the direct buffer the input tensor wraps (created once): the pre-processor writes straight into
 * it, so a frame's input is written once, with no heap array and copy (which cost a pass over a
 * megabyte or more and evicted the cache the inference then missed). A heap array exists only for
 * callers that write the input themselves ({@link #inputBuffer()}).
 *
 * <p>Not thread-safe: one instance serves one camera/thread.
 */
public final class VisionModel implements AutoCloseable {
  private final ModelDescriptor descriptor;
  private final OnnxSessions.OpenedSession opened;
  private final Preprocessor preprocessor;
  private final int inputSize;
  private float[] input; // created on first use of inputBuffer()
  private final FloatBuffer inputDirect;
  private final OnnxTensor inputTensor;
  private final Map<String, OnnxTensor> inputs;
  private final ModelOutputs outputs;
  private final Map<String, long[]> staticOutputShapes;
  // Output tensors ONNX Runtime writes into on every run (null when an output shape is dynamic), so
  // a run allocates neither native output memory nor Java copies of it.
  private final Map<String, OnnxTensor> pinnedOutputs;
  private final FloatBuffer[] pinnedBuffers;

  private VisionModel(ModelDescriptor d, OnnxSessions.OpenedSession opened) throws OrtException {
    this.descriptor = d;
    this.opened = opened;
    this.preprocessor = new Preprocessor(d.input().preprocess());
    this.inputSize = preprocessor.imageSize();
    this.inputDirect = ByteBuffer.allocateDirect(inputSize * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    long[] shape = {1, 3, d.input().preprocess().height(), d.input().preprocess().width()};
    this.inputTensor = OnnxTensor.createTensor(OnnxSessions.environment(), inputDirect, shape);
    this.inputs = Map.of(d.input().name(), inputTensor);
    this.outputs = new ModelOutputs(new ArrayList<>(opened.session().getOutputNames()));
    this.staticOutputShapes = new LinkedHashMap<>();
    for (var e : opened.session().getOutputInfo().entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo t) staticOutputShapes.put(e.getKey(), t.getShape());
    }
    this.pinnedBuffers = new FloatBuffer[outputs.count()];
    this.pinnedOutputs = pinOutputs();
  }

  /** Pre-allocated output tensors when every output is a float tensor of fully static shape. */
  private Map<String, OnnxTensor> pinOutputs() throws OrtException {
    Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
    var info = opened.session().getOutputInfo();
    try {
      for (int i = 0; i < outputs.count(); i++) {
        String name = outputs.name(i);
        if (!(info.get(name).getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) return null;
        long[] shape = t.getShape();
        long size = 1;
        for (long d : shape) {
          if (d < 0) return null;
          size *= d;
        }
        if (size > Integer.MAX_VALUE / Float.BYTES) return null;
        FloatBuffer b = ByteBuffer.allocateDirect((int) size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        pinned.put(name, OnnxTensor.createTensor(OnnxSessions.environment(), b, shape));
        pinnedBuffers[i] = b;
      }
      return Map.copyOf(pinned);
    } finally {
      if (pinned.size() < outputs.count()) pinned.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Opens the model file and validates the descriptor's input and declared outputs against it.
   *
   * @throws VisionException when the file is missing or unloadable, or naming the tensor and shape that do not match
   */
  public static VisionModel open(ModelDescriptor d, SessionConfig config) {
    if (!Files.isRegularFile(d.model())) {
      throw new VisionException("model file not found: " + d.model() + " (descriptor " + d.source() + ")");
    }
    OnnxSessions.OpenedSession opened = OnnxSessions.open(d.model(), config);
    try {
      validate(d, opened.session());
      return new VisionModel(d, opened);
    } catch (OrtException | RuntimeException e) {
      opened.close();
      if (e instanceof VisionException ve) throw ve;
      throw new VisionException("cannot prepare model " + d.model() + ": " + e.getMessage(), e);
    }
  }

  private static void validate(ModelDescriptor d, OrtSession s) throws OrtException {
    String prefix = "model " + d.model().getFileName() + " does not match descriptor " + d.source() + ": ";
    Map<String, NodeInfo> ins = s.getInputInfo();
    NodeInfo in = ins.get(d.input().name());
    if (in == null) {
      throw new VisionException(prefix + "input '" + d.input().name() + "' not found (model inputs: " + describe(ins) + ")");
    }
    if (!(in.getInfo() instanceof TensorInfo ti) || ti.type != OnnxJavaType.FLOAT) {
      throw new VisionException(prefix + "input '" + d.input().name() + "' is " + in.getInfo() + ", expected a float tensor");
    }
    long[] want = {1, 3, d.input().preprocess().height(), d.input().preprocess().width()};
    if (!compatible(ti.getShape(), want)) {
      throw new VisionException(prefix + "input '" + d.input().name() + "' has shape " + Arrays.toString(ti.getShape())
          + ", descriptor expects " + Arrays.toString(want) + " (NCHW)");
    }
    if (ins.size() > 1) {
      throw new VisionException(prefix + "model has " + ins.size() + " inputs (" + describe(ins) + "), only single-image-input models are supported");
    }
    Map<String, NodeInfo> outs = s.getOutputInfo();
    for (var e : d.outputs().entrySet()) {
      NodeInfo o = outs.get(e.getKey());
      if (o == null) {
        throw new VisionException(prefix + "output '" + e.getKey() + "' not found (model outputs: " + describe(outs) + ")");
      }
      long[] have = o.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
      if (!compatible(have, e.getValue())) {
        throw new VisionException(prefix + "output '" + e.getKey() + "' has shape " + Arrays.toString(have)
            + ", descriptor expects " + Arrays.toString(e.getValue()));
      }
    }
  }

  private static boolean compatible(long[] have, long[] want) {
    if (have.length != want.length) return false;
    for (int i = 0; i < have.length; i++) {
      if (have[i] >= 0 && want[i] >= 0 && have[i] != want[i]) return false;
    }
    return true;
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    List<String> parts = new ArrayList<>();
    for (var e : nodes.entrySet()) {
      String shape = e.getValue().getInfo() instanceof TensorInfo t ? Arrays.toString(t.getShape()) : e.getValue().getInfo().toString();
      parts.add(e.getKey() + " " + shape);
    }
    return String.join(", ", parts);
  }

  public ModelDescriptor descriptor() { return descriptor; }

  /** The execution provider actually in use (CPU after a fallback). */
  public ExecutionProvider provider() { return opened.provider(); }

  /** Warnings from opening the session (e.g. provider fallback). */
  public List<String> warnings() { return opened.warnings(); }

  /** Output names with the shapes the model file declares (-1 for dynamic dimensions). */
  public Map<String, long[]> staticOutputShapes() { return Map.copyOf(staticOutputShapes); }

  /** Pre-processes the whole frame into the input buffer. */
  public ImageTransform setInput(Frame frame) {
    return preprocessor.fill(frame, inputDirect);
  }

  /** Pre-processes the part of the frame inside {@code roi} into the input buffer. */
  public ImageTransform setInputCrop(Frame frame, BoundingBox roi) {
    return preprocessor.fillCrop(frame, roi, inputDirect);
  }

  /**
   * The heap input buffer (CHW) for callers that write the input themselves, such as face
   * alignment; call {@link #commitInput()} afterwards.
   */
  public float[] inputBuffer() {
    if (input == null) input = new float[inputSize];
    return input;
  }

  /** Makes the contents of {@link #inputBuffer()} the input of the next run. */
  public void commitInput() {
    inputDirect.put(0, inputBuffer());
  }

  /** Floats one pre-processed input image takes (3 × height × width). */
  public int inputSize() { return inputSize; }

  /**
   * A second (third, ...) input tensor of this model, in its own direct buffer: a stream can
   * pre-process the next frame into one slot while the model runs on another, with no copy in
   * between ({@link #preprocess(Frame, InputSlot)}, {@link #run(InputSlot)}). Close it before the model.
   */
  public final class InputSlot implements AutoCloseable {
    private final FloatBuffer buffer;
    private final OnnxTensor tensor;
    private final Map<String, OnnxTensor> map;

    private InputSlot() {
      buffer = ByteBuffer.allocateDirect(inputSize * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      try {
        tensor = OnnxTensor.createTensor(OnnxSessions.environment(), buffer, inputTensor.getInfo().getShape());
      } catch (OrtException e) {
        throw new VisionException("cannot create an input tensor for " + descriptor.model().getFileName() + ": " + e.getMessage(), e);
      }
      map = Map.of(descriptor.input().name(), tensor);
    }

    @Override
    public void close() {
      tensor.close();
    }
  }

  /** A new input slot (see {@link InputSlot}). */
  public InputSlot newInputSlot() {
    return new InputSlot();
  }

  /** Pre-processes the whole frame straight into {@code slot}'s input tensor. */
  public ImageTransform preprocess(Frame frame, InputSlot slot) {
    return preprocessor.fill(frame, slot.buffer);
  }

  /** Runs the model on {@code slot}'s input (see {@link #run()}). */
  public ModelOutputs run(InputSlot slot) {
    return run(slot.map);
  }

  /**
   * Runs the model on the current input. With pinned outputs nothing is copied (see
   * {@link ModelOutputs#values(int)}); otherwise the float outputs are copied into reused arrays.
   */
  public ModelOutputs run() {
    return run(inputs);
  }

  private ModelOutputs run(Map<String, OnnxTensor> inputs) {
    if (pinnedOutputs != null) {
      runPinned(inputs);
      for (int i = 0; i < outputs.count(); i++) outputs.setPinned(i, staticShape(i), pinnedBuffers[i]);
      return outputs;
    }
    try (OrtSession.Result r = opened.session().run(inputs)) {
      for (int i = 0; i < outputs.count(); i++) {
        OnnxValue v = r.get(i);
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
          throw new VisionException("model " + descriptor.model().getFileName() + ": output '" + outputs.name(i) + "' is not a float tensor");
        }
        outputs.set(i, t.getInfo().getShape(), t.getFloatBuffer());
      }
      return outputs;
    } catch (OrtException e) {
      throw new VisionException("inference failed for " + descriptor.model().getFileName() + ": " + e.getMessage(), e);
    }
  }

  private long[] staticShape(int i) {
    return staticOutputShapes.get(outputs.name(i));
  }

  private void runPinned(Map<String, OnnxTensor> inputs) {
    try (OrtSession.Result r = opened.session().run(inputs, pinnedOutputs)) {
      // outputs are in pinnedBuffers; the result only holds references to the pinned tensors
    } catch (OrtException e) {
      throw new VisionException("inference failed for " + descriptor.model().getFileName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A bare {@code session.run} on the current input, for comparing against the full pipeline: the
   * same call {@link #run()} makes (into the same pinned outputs when the shapes are static), without
   * copying or decoding the outputs.
   */
  public void runRaw() {
    if (pinnedOutputs != null) {
      runPinned(inputs);
      return;
    }
    try (OrtSession.Result r = opened.session().run(inputs)) {
      if (r.size() == 0) throw new IllegalStateException("no outputs");
    } catch (OrtException e) {
      throw new VisionException("inference failed for " + descriptor.model().getFileName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    inputTensor.close();
    if (pinnedOutputs != null) pinnedOutputs.values().forEach(OnnxTensor::close);
    opened.close();
  }
}
