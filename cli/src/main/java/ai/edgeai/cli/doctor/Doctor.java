package ai.edgeai.cli.doctor;

import ai.edgeai.cli.config.LoadedConfig;
import ai.edgeai.llm.kernel.MemoryBandwidth;
import ai.edgeai.llm.kernel.VectorProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gathers a {@link DoctorReport}: facts first, then measurements, then optional parts. */
public final class Doctor {

  /** Optional parts, in report order. Later modules add theirs here. */
  static final List<OptionalCheck> OPTIONAL_CHECKS =
      List.of(new OnnxRuntimeCheck(), new FfmpegCheck(), new MqttBrokerCheck());

  /** Default size of each triad array: far beyond any L3 of an edge board or a server. */
  public static final int DEFAULT_BANDWIDTH_MIB = 128;

  static final int BANDWIDTH_PASSES = 5;
  static final long VECTOR_PROBE_BUDGET_MILLIS = 400;

  private final LoadedConfig config;
  private final int bandwidthMib;

  /**
   * @param bandwidthMib size of each triad array in MiB; 0 skips the bandwidth measurement
   */
  public Doctor(LoadedConfig config, int bandwidthMib) {
    if (bandwidthMib < 0) {
      throw new IllegalArgumentException("bandwidthMib must not be negative, got " + bandwidthMib);
    }
    this.config = config;
    this.bandwidthMib = bandwidthMib;
  }

  public DoctorReport examine(String edgeaiVersion) {
    Logger log = LoggerFactory.getLogger(Doctor.class);
    long start = System.nanoTime();
    DoctorReport.Cpu cpu = SystemFacts.cpu();
    DoctorReport.Memory memory = SystemFacts.memory();
    DoctorReport.Disk disk = SystemFacts.disk(config.config().models().dir());
    log.debug("system facts after {} ms", (System.nanoTime() - start) / 1_000_000);

    long t = System.nanoTime();
    VectorProbe.Result probe = VectorProbe.run(VECTOR_PROBE_BUDGET_MILLIS);
    log.debug("vector probe: {} ({} ms)", probe, (System.nanoTime() - t) / 1_000_000);

    t = System.nanoTime();
    DoctorReport.MemoryBandwidth bandwidth = measureBandwidth(cpu, memory);
    log.debug("memory bandwidth: {} ({} ms)", bandwidth, (System.nanoTime() - t) / 1_000_000);

    t = System.nanoTime();
    List<CheckResult> optional = runOptionalChecks();
    log.debug("optional checks: {} ms", (System.nanoTime() - t) / 1_000_000);

    return new DoctorReport(edgeaiVersion, config.source().map(Object::toString).orElse(null),
        (System.nanoTime() - start) / 1_000_000, SystemFacts.os(), cpu, memory, disk,
        SystemFacts.jvm(), vectorApi(probe), bandwidth, optional);
  }

  static DoctorReport.VectorApi vectorApi(VectorProbe.Result r) {
    return new DoctorReport.VectorApi(r.present(), r.preferredBits(), r.floatLanes(),
        finite(r.scalarNanosPerElement()), finite(r.vectorNanosPerElement()), finite(r.speedup()),
        r.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'), r.detail());
  }

  private DoctorReport.MemoryBandwidth measureBandwidth(
      DoctorReport.Cpu cpu, DoctorReport.Memory memory) {
    int threads = cpu.logicalCores();
    if (bandwidthMib == 0) {
      return new DoctorReport.MemoryBandwidth(
          "stream-triad", 0, 0, null, threads, null, "skipped (--bandwidth-mib 0)");
    }
    long perArray = (long) bandwidthMib << 20;
    List<String> notes = new ArrayList<>();
    // Three arrays must fit comfortably in the heap and in free RAM (never swap for a benchmark).
    Runtime rt = Runtime.getRuntime();
    long heapRoom = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) * 6 / 10 / 3;
    long ramRoom = memory.availableBytes() == null ? Long.MAX_VALUE : memory.availableBytes() / 4 / 3;
    long limit = Math.min(heapRoom, ramRoom);
    if (perArray > limit) {
      perArray = limit;
      notes.add("arrays shrunk to " + (perArray >> 20) + " MiB to fit free memory");
    }
    long elements = Math.min(perArray / Double.BYTES, Integer.MAX_VALUE - 8);
    if (elements < 1024) {
      return new DoctorReport.MemoryBandwidth("stream-triad", 0, 0, null, threads, null,
          "not measured: too little free memory for the test arrays");
    }
    if (cpu.lastLevelCacheBytes() != null && elements * Double.BYTES < 4 * cpu.lastLevelCacheBytes()) {
      notes.add("arrays are smaller than 4x the last-level cache, so the figure may be too high");
    }
    try {
      List<MemoryBandwidth.Result> results =
          MemoryBandwidth.measure((int) elements, threads, BANDWIDTH_PASSES);
      MemoryBandwidth.Result single = results.get(0);
      MemoryBandwidth.Result all = results.get(results.size() - 1);
      return new DoctorReport.MemoryBandwidth("stream-triad", single.bytesPerArray(),
          BANDWIDTH_PASSES, single.gigabytesPerSecond(), threads, all.gigabytesPerSecond(),
          notes.isEmpty() ? null : String.join("; ", notes));
    } catch (OutOfMemoryError e) {
      return new DoctorReport.MemoryBandwidth("stream-triad", elements * Double.BYTES, 0, null,
          threads, null, "not measured: out of heap memory; try --bandwidth-mib 32");
    }
  }

  /** Runs the checks side by side: each may wait on a timeout, none measures anything. */
  private List<CheckResult> runOptionalChecks() {
    ExecutorService pool = Executors.newFixedThreadPool(OPTIONAL_CHECKS.size(), r -> {
      Thread th = new Thread(r, "edgeai-doctor-check");
      th.setDaemon(true);
      return th;
    });
    try {
      List<Future<CheckResult>> futures = new ArrayList<>();
      for (OptionalCheck check : OPTIONAL_CHECKS) {
        futures.add(pool.submit(() -> check.run(config.config())));
      }
      List<CheckResult> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        String name = OPTIONAL_CHECKS.get(i).name();
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          results.add(CheckResult.failed(name, "check crashed: " + e.getCause(),
              "report this as an edgeai bug"));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          results.add(CheckResult.failed(name, "interrupted", "run edgeai doctor again"));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }
}
