package ai.edgeai.vision.onnx;

import ai.edgeai.vision.VisionException;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Opens ONNX Runtime sessions with thread, optimisation and execution-provider settings. */
public final class OnnxSessions {
  private OnnxSessions() {}

  private static final class Holder {
    // The first getEnvironment call fixes the log level; ONNX Runtime is chatty at WARNING.
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "edgeai");
  }

  /** The process-wide ONNX Runtime environment (created at error log level). */
  public static OrtEnvironment environment() {
    return Holder.ENV;
  }

  /** Providers compiled into the loaded native library, in {@link ExecutionProvider} order. */
  public static Set<ExecutionProvider> availableProviders() {
    environment();
    EnumSet<OrtProvider> ort = OrtEnvironment.getAvailableProviders();
    EnumSet<ExecutionProvider> out = EnumSet.noneOf(ExecutionProvider.class);
    for (ExecutionProvider p : ExecutionProvider.values()) if (ort.contains(p.ort())) out.add(p);
    return out;
  }

  /** A session plus what was actually used. Closing it closes the session. */
  public record OpenedSession(OrtSession session, ExecutionProvider provider, List<String> warnings) implements AutoCloseable {
    public OpenedSession {
      warnings = List.copyOf(warnings);
    }

    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        throw new VisionException("closing ONNX session: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Opens {@code model}. An unknown provider name throws {@link UnknownProviderException}; a known
   * provider missing from this native library falls back to CPU with a warning in the result.
   */
  public static OpenedSession open(Path model, SessionConfig config) {
    ExecutionProvider wanted = ExecutionProvider.parse(config.provider());
    if (!Files.isRegularFile(model)) throw new VisionException("model file not found: " + model);
    List<String> warnings = new ArrayList<>();
    ExecutionProvider used = wanted;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      if (config.intraOpThreads() > 0) options.setIntraOpNumThreads(config.intraOpThreads());
      if (config.interOpThreads() > 0) options.setInterOpNumThreads(config.interOpThreads());
      options.setOptimizationLevel(switch (config.optimization()) {
        case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      if (wanted != ExecutionProvider.CPU) {
        if (!availableProviders().contains(wanted)) {
          warnings.add("execution provider '" + wanted.configName() + "' is not in this ONNX Runtime build (available: "
              + availableProviders().stream().map(ExecutionProvider::configName).toList() + "); using cpu");
          used = ExecutionProvider.CPU;
        } else {
          try {
            addProvider(options, wanted);
          } catch (OrtException e) {
            warnings.add("execution provider '" + wanted.configName() + "' failed to initialise (" + e.getMessage() + "); using cpu");
            used = ExecutionProvider.CPU;
          }
        }
      }
      OrtSession session = environment().createSession(model.toString(), options);
      return new OpenedSession(session, used, warnings);
    } catch (OrtException e) {
      throw new VisionException("cannot load ONNX model " + model + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  private static void addProvider(OrtSession.SessionOptions o, ExecutionProvider p) throws OrtException {
    switch (p) {
      case CUDA -> o.addCUDA();
      case TENSORRT -> o.addTensorrt(0);
      case OPENVINO -> o.addOpenVINO("");
      case XNNPACK -> o.addXnnpack(Map.of());
      case COREML -> o.addCoreML();
      case DNNL -> o.addDnnl(true);
      case ROCM -> o.addROCM();
      case NNAPI -> o.addNnapi();
      case DIRECTML -> o.addDirectML(0);
      case ACL -> o.addACL(true);
      case ARMNN -> o.addArmNN(true);
      case QNN -> o.addQnn(Map.of());
      case CPU -> { }
    }
  }
}
