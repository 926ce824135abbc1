package ai.edgeai.vision.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.vision.VisionTestData;
import org.junit.jupiter.api.Test;

class OnnxSessionsTest {

  @Test
  void cpuIsAlwaysAvailable() {
    assertTrue(OnnxSessions.availableProviders().contains(ExecutionProvider.CPU));
  }

  @Test
  void providerNamesParseLeniently() {
    assertEquals(ExecutionProvider.TENSORRT, ExecutionProvider.parse("TensorRT"));
    assertEquals(ExecutionProvider.OPENVINO, ExecutionProvider.parse("open_vino"));
  }

  @Test
  void unknownProviderIsAUsageErrorListingKnownOnes() {
    UnknownProviderException e = assertThrows(UnknownProviderException.class, () -> SessionConfig.defaults().withProvider("gpu9000"));
    assertTrue(e.getMessage().startsWith("unknown execution provider 'gpu9000' (known: cpu, cuda, tensorrt"), e.getMessage());
  }

  @Test
  void knownButMissingProviderFallsBackToCpuWithAWarning() {
    // The Maven CPU build of ONNX Runtime has no CUDA; skip the check on a build that has it.
    if (OnnxSessions.availableProviders().contains(ExecutionProvider.CUDA)) return;
    var model = VisionTestData.shippedModels().resolve("yunet/yunet_n_320_320.onnx");
    try (var s = OnnxSessions.open(model, SessionConfig.defaults().withProvider("cuda").withThreads(1))) {
      assertEquals(ExecutionProvider.CPU, s.provider());
      assertEquals(1, s.warnings().size());
      assertTrue(s.warnings().getFirst().startsWith("execution provider 'cuda' is not in this ONNX Runtime build"), s.warnings()::toString);
    }
  }
}
