package ai.edgeai.vision.onnx;

import ai.onnxruntime.OrtProvider;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The execution providers a user may name in configuration, with ONNX Runtime's enum for each. */
public enum ExecutionProvider {
  CPU("cpu", OrtProvider.CPU),
  CUDA("cuda", OrtProvider.CUDA),
  TENSORRT("tensorrt", OrtProvider.TENSOR_RT),
  OPENVINO("openvino", OrtProvider.OPEN_VINO),
  XNNPACK("xnnpack", OrtProvider.XNNPACK),
  COREML("coreml", OrtProvider.CORE_ML),
  DNNL("dnnl", OrtProvider.DNNL),
  ROCM("rocm", OrtProvider.ROCM),
  NNAPI("nnapi", OrtProvider.NNAPI),
  DIRECTML("directml", OrtProvider.DIRECT_ML),
  ACL("acl", OrtProvider.ACL),
  ARMNN("armnn", OrtProvider.ARM_NN),
  QNN("qnn", OrtProvider.QNN);

  private final String configName;
  private final OrtProvider ort;

  ExecutionProvider(String configName, OrtProvider ort) {
    this.configName = configName;
    this.ort = ort;
  }

  public String configName() { return configName; }

  OrtProvider ort() { return ort; }

  /**
   * Parses a configuration name (case-insensitive; '-' and '_' ignored, so "TensorRT" and
   * "tensor_rt" both work).
   *
   * @throws UnknownProviderException listing the known names
   */
  public static ExecutionProvider parse(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").trim();
    for (ExecutionProvider p : values()) {
      if (p.configName.equals(n)) return p;
    }
    throw new UnknownProviderException("unknown execution provider '" + name + "' (known: "
        + Arrays.stream(values()).map(ExecutionProvider::configName).collect(Collectors.joining(", ")) + ")");
  }
}
