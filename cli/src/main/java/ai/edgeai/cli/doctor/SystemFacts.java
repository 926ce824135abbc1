package ai.edgeai.cli.doctor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the operating system says about the machine: {@code /proc} and {@code /sys} on
 * Linux, with JDK fallbacks elsewhere. Parsers take text so that tests can feed them samples
 * from other machines.
 */
final class SystemFacts {

  /** SIMD-related flags worth reporting, in display order (x86 names, then Arm names). */
  static final List<String> SIMD_FLAGS = List.of(
      "sse4_2", "avx", "avx2", "fma", "f16c",
      "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512vnni", "avx512_bf16",
      "avx512_fp16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16",
      "neon", "asimd", "asimdhp", "asimddp", "fphp", "i8mm", "bf16", "sve", "sve2");

  /** Arm "CPU part" numbers of cores found in edge boards (Raspberry Pi, Jetson). */
  private static final Map<String, String> ARM_PARTS = Map.of(
      "0xd03", "Cortex-A53", "0xd04", "Cortex-A35", "0xd05", "Cortex-A55",
      "0xd07", "Cortex-A57", "0xd08", "Cortex-A72", "0xd09", "Cortex-A73",
      "0xd0b", "Cortex-A76", "0xd41", "Cortex-A78", "0xd42", "Cortex-A78AE",
      "0x004", "NVIDIA Carmel");

  private static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");
  private static final Path PROC_MEMINFO = Path.of("/proc/meminfo");
  private static final Path SYS_CPU = Path.of("/sys/devices/system/cpu");

  private SystemFacts() {}

  static DoctorReport.Os os() {
    return new DoctorReport.Os(System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"));
  }

  static DoctorReport.Cpu cpu() {
    String cpuinfo = readOrEmpty(PROC_CPUINFO);
    int logical = Runtime.getRuntime().availableProcessors();
    Integer physical = physicalCores(SYS_CPU, logical);
    if (physical == null) {
      physical = physicalCoresFromCpuinfo(cpuinfo, logical);
    }
    String model = cpuModel(cpuinfo);
    if (model == null) {
      model = readOrEmpty(Path.of("/proc/device-tree/model")).replace("\0", "").strip();
      if (model.isEmpty()) model = System.getProperty("os.arch");
    }
    return new DoctorReport.Cpu(model, logical, physical, lastLevelCacheBytes(SYS_CPU),
        simdFlags(cpuinfo));
  }

  static DoctorReport.Memory memory() {
    Map<String, Long> info = parseMeminfo(readOrEmpty(PROC_MEMINFO));
    Long total = info.get("MemTotal");
    Long available = info.get("MemAvailable");
    if (total == null
        && ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os) {
      total = os.getTotalMemorySize();
      available = os.getFreeMemorySize();
    }
    return new DoctorReport.Memory(total, available);
  }

  static DoctorReport.Disk disk(Path modelsDir) {
    Path probe = modelsDir.toAbsolutePath();
    while (probe != null && !Files.exists(probe)) {
      probe = probe.getParent();
    }
    Long free = null;
    Long total = null;
    if (probe != null) {
      try {
        FileStore store = Files.getFileStore(probe);
        free = store.getUsableSpace();
        total = store.getTotalSpace();
      } catch (IOException e) {
        // Unmeasurable (e.g. a vanished mount): report nulls rather than fail the whole doctor.
      }
    }
    return new DoctorReport.Disk(modelsDir.toString(), Files.isDirectory(modelsDir),
        probe == null ? null : probe.toString(), free, total);
  }

  static DoctorReport.Jvm jvm() {
    return new DoctorReport.Jvm(System.getProperty("java.vm.vendor"),
        Runtime.version().toString(), System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory());
  }

  // ---- parsers -------------------------------------------------------------------------------

  /** The model line of {@code /proc/cpuinfo}: x86 "model name", Pi "Model", or the Arm part. */
  static String cpuModel(String cpuinfo) {
    Map<String, String> first = firstValues(cpuinfo);
    for (String key : List.of("model name", "Model", "Hardware")) {
      String v = first.get(key);
      if (v != null && !v.isBlank()) return v;
    }
    String part = first.get("CPU part");
    if (part != null) {
      String name = ARM_PARTS.get(part.toLowerCase(Locale.ROOT));
      return name != null ? "Arm " + name : "Arm CPU part " + part;
    }
    return null;
  }

  /** SIMD flags from the "flags" (x86) or "Features" (Arm) line, in {@link #SIMD_FLAGS} order. */
  static List<String> simdFlags(String cpuinfo) {
    Map<String, String> first = firstValues(cpuinfo);
    String line = first.getOrDefault("flags", first.getOrDefault("Features", ""));
    Set<String> present = new HashSet<>(List.of(line.strip().split("\\s+")));
    List<String> out = new ArrayList<>();
    for (String flag : SIMD_FLAGS) {
      if (present.contains(flag)) out.add(flag);
    }
    return out;
  }

  /** Values in kB from {@code /proc/meminfo}, converted to bytes. */
  static Map<String, Long> parseMeminfo(String meminfo) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : meminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String[] value = line.substring(colon + 1).strip().split("\\s+");
      try {
        long n = Long.parseLong(value[0]);
        boolean kb = value.length > 1 && value[1].equalsIgnoreCase("kB");
        out.put(line.substring(0, colon).strip(), kb ? n * 1024 : n);
      } catch (NumberFormatException e) {
        // not a numeric line; skip
      }
    }
    return out;
  }

  /** Distinct (physical id, core id) pairs, when cpuinfo lists them for every usable CPU. */
  static Integer physicalCoresFromCpuinfo(String cpuinfo, int logical) {
    Set<String> cores = new HashSet<>();
    int processors = 0;
    String physicalId = "0";
    for (String block : cpuinfo.split("\n\\s*\n")) {
      Map<String, String> m = firstValues(block);
      if (!m.containsKey("processor")) continue;
      processors++;
      physicalId = m.getOrDefault("physical id", physicalId);
      String core = m.get("core id");
      if (core == null) return null;
      cores.add(physicalId + "/" + core);
    }
    return processors == logical && !cores.isEmpty() ? cores.size() : null;
  }

  /** Distinct (package, core) pairs from sysfs; null when sysfs shows other CPUs than ours. */
  static Integer physicalCores(Path sysCpu, int logical) {
    Set<String> cores = new HashSet<>();
    int cpus = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(sysCpu, "cpu[0-9]*")) {
      for (Path cpu : dirs) {
        Path topology = cpu.resolve("topology");
        if (!Files.isDirectory(topology)) continue;
        cpus++;
        cores.add(Files.readString(topology.resolve("physical_package_id")).strip() + "/"
            + Files.readString(topology.resolve("core_id")).strip());
      }
    } catch (IOException e) {
      return null;
    }
    // In a container limited to fewer CPUs than the host has, the host's topology says nothing
    // about which cores we got.
    return cpus == logical && !cores.isEmpty() ? cores.size() : null;
  }

  /** The size of the highest cache level of cpu0, e.g. the L3. */
  static Long lastLevelCacheBytes(Path sysCpu) {
    int bestLevel = -1;
    Long bestSize = null;
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(sysCpu.resolve("cpu0/cache"), "index[0-9]*")) {
      for (Path index : dirs) {
        int level = Integer.parseInt(Files.readString(index.resolve("level")).strip());
        Long size = parseCacheSize(Files.readString(index.resolve("size")));
        if (size != null && level > bestLevel) {
          bestLevel = level;
          bestSize = size;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
    return bestSize;
  }

  /** "32768K" / "8M" / "512" → bytes. */
  static Long parseCacheSize(String text) {
    String s = text.strip().toUpperCase(Locale.ROOT);
    if (s.isEmpty()) return null;
    long unit = switch (s.charAt(s.length() - 1)) {
      case 'K' -> 1024L;
      case 'M' -> 1024L * 1024;
      case 'G' -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
    try {
      return Long.parseLong(digits) * unit;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** "key : value" lines; the first occurrence of each key wins. */
  private static Map<String, String> firstValues(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      out.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
    }
    return out;
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
