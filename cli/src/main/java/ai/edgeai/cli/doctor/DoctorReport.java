package ai.edgeai.cli.doctor;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@code edgeai doctor} found out. The component names are the JSON field names of
 * {@code doctor --json} and are documented in {@code docs/cli.md}: rename nothing without
 * updating that page. Values that could not be determined are null, never left out.
 */
public record DoctorReport(
    String edgeaiVersion,
    String configFile,
    long elapsedMillis,
    Os os,
    Cpu cpu,
    Memory memory,
    Disk disk,
    Jvm jvm,
    VectorApi vectorApi,
    MemoryBandwidth memoryBandwidth,
    List<CheckResult> optional) {

  public DoctorReport {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(cpu, "cpu");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(disk, "disk");
    Objects.requireNonNull(jvm, "jvm");
    Objects.requireNonNull(vectorApi, "vectorApi");
    Objects.requireNonNull(memoryBandwidth, "memoryBandwidth");
    optional = List.copyOf(optional);
  }

  public record Os(String name, String version, String arch) {}

  /**
   * @param logicalCores processors this JVM may use
   * @param physicalCores distinct physical cores, null when not knowable
   * @param lastLevelCacheBytes size of the largest cache level, null when unknown
   * @param simd SIMD-related CPU flags, as the kernel names them
   */
  public record Cpu(
      String model, int logicalCores, Integer physicalCores, Long lastLevelCacheBytes,
      List<String> simd) {
    public Cpu {
      simd = List.copyOf(simd);
    }
  }

  public record Memory(Long totalBytes, Long availableBytes) {}

  /**
   * @param modelsDir the configured models folder
   * @param modelsDirExists whether it exists yet
   * @param measuredAt the folder whose file system was measured (the nearest existing ancestor)
   */
  public record Disk(
      String modelsDir, boolean modelsDirExists, String measuredAt, Long freeBytes, Long totalBytes) {}

  public record Jvm(String vendor, String version, String vmName, long maxHeapBytes) {}

  /** See {@link ai.edgeai.llm.kernel.VectorProbe.Result}; verdict in lower case with dashes. */
  public record VectorApi(
      boolean present, int preferredBits, int floatLanes, Double scalarNsPerElement,
      Double vectorNsPerElement, Double speedup, String verdict, String detail) {}

  /**
   * STREAM triad bandwidth; GB/s fields are null when the measurement was skipped or failed, and
   * {@code note} then says why.
   */
  public record MemoryBandwidth(
      String method, long bytesPerArray, int passes, Double singleThreadGBps, int threads,
      Double allThreadsGBps, String note) {}
}
