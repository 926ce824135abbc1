package ai.edgeai.cli.doctor;

import ai.edgeai.cli.config.EdgeaiConfig;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.EnumSet;
import java.util.stream.Collectors;

/** The ONNX Runtime native library (vision models) loads, and which execution providers it has. */
final class OnnxRuntimeCheck implements OptionalCheck {

  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public CheckResult run(EdgeaiConfig config) {
    try {
      // Loads (and unpacks) the native library bundled in the jar for this OS and architecture.
      EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
      String version = OrtEnvironment.getEnvironment().getVersion();
      String names = providers.stream().map(OrtProvider::getName).collect(Collectors.joining(", "));
      return CheckResult.ok(name(), "ONNX Runtime " + version + ", providers: " + names);
    } catch (Throwable e) { // UnsatisfiedLinkError and friends must become a report line
      return CheckResult.failed(name(),
          "native library failed to load: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          "the bundled library covers Linux x64/aarch64 (glibc), macOS and Windows x64; on other "
              + "platforms install ONNX Runtime and set -Donnxruntime.native.path=<folder>");
    }
  }
}
