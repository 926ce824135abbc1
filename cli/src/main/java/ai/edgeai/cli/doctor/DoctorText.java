package ai.edgeai.cli.doctor;

import java.util.Locale;

/** The human-readable table of {@code edgeai doctor}. */
final class DoctorText {

  private DoctorText() {}

  static String render(DoctorReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "edgeai %s doctor (%.1f s)%n", r.edgeaiVersion(),
        r.elapsedMillis() / 1000.0));
    sb.append("config: ").append(r.configFile() == null ? "none found, defaults" : r.configFile())
        .append("\n\nSystem\n");
    row(sb, "OS", r.os().name() + " " + r.os().version() + " (" + r.os().arch() + ")");
    DoctorReport.Cpu cpu = r.cpu();
    row(sb, "CPU", cpu.model() + ", " + cpu.logicalCores() + " logical cores"
        + (cpu.physicalCores() == null ? "" : ", " + cpu.physicalCores() + " physical")
        + (cpu.lastLevelCacheBytes() == null ? "" : ", " + mib(cpu.lastLevelCacheBytes())
            + " last-level cache"));
    row(sb, "SIMD", cpu.simd().isEmpty() ? "none reported" : String.join(" ", cpu.simd()));
    row(sb, "Memory", gib(r.memory().totalBytes()) + " total, " + gib(r.memory().availableBytes())
        + " available");
    DoctorReport.Disk d = r.disk();
    row(sb, "Models dir", d.modelsDir() + (d.modelsDirExists() ? "" : " (not created yet)"));
    row(sb, "Disk free", gib(d.freeBytes()) + " of " + gib(d.totalBytes())
        + (d.measuredAt() == null ? "" : " (at " + d.measuredAt() + ")"));

    sb.append("\nJava\n");
    row(sb, "JVM", r.jvm().vendor() + " " + r.jvm().version() + " (" + r.jvm().vmName()
        + "), max heap " + gib(r.jvm().maxHeapBytes()));
    DoctorReport.VectorApi v = r.vectorApi();
    row(sb, "Vector API", v.verdict().toUpperCase(Locale.ROOT)
        + (v.present() ? String.format(Locale.ROOT, ": %d-bit vectors (%d floats); %s",
            v.preferredBits(), v.floatLanes(), v.detail()) : ": " + v.detail()));

    sb.append("\nMeasured\n");
    DoctorReport.MemoryBandwidth b = r.memoryBandwidth();
    if (b.singleThreadGBps() == null) {
      row(sb, "Memory bandwidth", b.note());
    } else {
      row(sb, "Memory bandwidth", String.format(Locale.ROOT,
          "%.1f GB/s (1 thread), %.1f GB/s (%d threads); STREAM triad, 3 x %s, best of %d",
          b.singleThreadGBps(), b.allThreadsGBps(), b.threads(), mib(b.bytesPerArray()),
          b.passes()));
      if (b.note() != null) row(sb, "", "note: " + b.note());
    }

    sb.append("\nOptional parts\n");
    for (CheckResult c : r.optional()) {
      sb.append(String.format(Locale.ROOT, "  %-9s %-13s %s%n", "[" + c.state() + "]", c.name(),
          c.detail()));
      if (c.fix() != null) {
        sb.append(String.format(Locale.ROOT, "  %-9s %-13s fix: %s%n", "", "", c.fix()));
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, String value) {
    sb.append(String.format(Locale.ROOT, "  %-17s %s%n", key, value));
  }

  private static String gib(Long bytes) {
    return bytes == null ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
  }
}
