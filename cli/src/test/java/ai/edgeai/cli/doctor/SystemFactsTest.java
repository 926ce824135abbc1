package ai.edgeai.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemFactsTest {

  // Shortened /proc/cpuinfo layouts: two hyper-threads of one x86 core, and a 4-core Cortex-A72
  // (Raspberry Pi 4 style) whose per-CPU blocks carry no model name.
  static final String X86 = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Core(TM) i7-1185G7 @ 3.00GHz
      physical id\t: 0
      core id\t\t: 0
      flags\t\t: fpu sse sse2 sse4_2 avx avx2 fma f16c avx512f avx512vl avx512_vnni sha_ni

      processor\t: 1
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Core(TM) i7-1185G7 @ 3.00GHz
      physical id\t: 0
      core id\t\t: 0
      flags\t\t: fpu sse sse2 sse4_2 avx avx2 fma f16c avx512f avx512vl avx512_vnni sha_ni
      """;

  static final String PI4 = """
      processor\t: 0
      BogoMIPS\t: 108.00
      Features\t: fp asimd evtstrm crc32 cpuid
      CPU implementer\t: 0x41
      CPU part\t: 0xd08

      processor\t: 1
      Features\t: fp asimd evtstrm crc32 cpuid
      CPU part\t: 0xd08

      Revision\t: c03114
      Model\t\t: Raspberry Pi 4 Model B Rev 1.4
      """;

  static final String ORIN_LIKE = """
      processor\t: 0
      Features\t: fp asimd asimdhp asimddp i8mm bf16 sve
      CPU part\t: 0xd42
      """;

  @Test
  void x86ModelFlagsAndCores() {
    assertEquals("Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", SystemFacts.cpuModel(X86));
    assertEquals(List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512vl",
        "avx512_vnni"), SystemFacts.simdFlags(X86));
    assertEquals(1, SystemFacts.physicalCoresFromCpuinfo(X86, 2));
    assertNull(SystemFacts.physicalCoresFromCpuinfo(X86, 4), "cpuinfo lists other CPUs than ours");
  }

  @Test
  void armModelFlagsAndUnknownPhysicalCores() {
    assertEquals("Raspberry Pi 4 Model B Rev 1.4", SystemFacts.cpuModel(PI4));
    assertEquals(List.of("asimd"), SystemFacts.simdFlags(PI4));
    assertNull(SystemFacts.physicalCoresFromCpuinfo(PI4, 2), "no core ids on Arm");
    assertEquals("Arm Cortex-A78AE", SystemFacts.cpuModel(ORIN_LIKE));
    assertEquals(List.of("asimd", "asimdhp", "asimddp", "i8mm", "bf16", "sve"),
        SystemFacts.simdFlags(ORIN_LIKE));
  }

  @Test
  void nothingKnownGivesNullsAndEmptyLists() {
    assertNull(SystemFacts.cpuModel(""));
    assertEquals(List.of(), SystemFacts.simdFlags(""));
  }

  @Test
  void meminfoIsConvertedToBytes() {
    Map<String, Long> m = SystemFacts.parseMeminfo(
        "MemTotal:        8000000 kB\nMemAvailable:    6000000 kB\nHugePages_Total:       0\n");
    assertEquals(8_000_000L * 1024, m.get("MemTotal"));
    assertEquals(6_000_000L * 1024, m.get("MemAvailable"));
    assertEquals(0L, m.get("HugePages_Total"));
  }

  @Test
  void cacheSizesAndTopologyFromASysfsTree(@TempDir Path sys) throws IOException {
    assertEquals(32L << 20, SystemFacts.parseCacheSize("32768K\n"));
    assertEquals(8L << 20, SystemFacts.parseCacheSize("8M"));
    assertNull(SystemFacts.parseCacheSize("lots"));
    // Two SMT siblings on core 0 and one thread on core 1; L1 32K, L2 1M, L3 16M.
    String[][] cpus = {{"0", "0"}, {"0", "0"}, {"0", "1"}};
    for (int i = 0; i < cpus.length; i++) {
      Path t = Files.createDirectories(sys.resolve("cpu" + i + "/topology"));
      Files.writeString(t.resolve("physical_package_id"), cpus[i][0] + "\n");
      Files.writeString(t.resolve("core_id"), cpus[i][1] + "\n");
    }
    String[][] caches = {{"1", "32K"}, {"2", "1024K"}, {"3", "16384K"}};
    for (int i = 0; i < caches.length; i++) {
      Path c = Files.createDirectories(sys.resolve("cpu0/cache/index" + i));
      Files.writeString(c.resolve("level"), caches[i][0] + "\n");
      Files.writeString(c.resolve("size"), caches[i][1] + "\n");
    }
    assertEquals(2, SystemFacts.physicalCores(sys, 3));
    assertNull(SystemFacts.physicalCores(sys, 2), "sysfs shows more CPUs than the JVM may use");
    assertEquals(16L << 20, SystemFacts.lastLevelCacheBytes(sys));
    assertNull(SystemFacts.lastLevelCacheBytes(sys.resolve("absent")));
  }

  @Test
  void diskIsMeasuredAtTheNearestExistingFolder(@TempDir Path tmp) {
    DoctorReport.Disk d = SystemFacts.disk(tmp.resolve("not/yet/models"));
    assertEquals(tmp.resolve("not/yet/models").toString(), d.modelsDir());
    assertEquals(false, d.modelsDirExists());
    assertEquals(tmp.toString(), d.measuredAt());
    assertEquals(true, d.freeBytes() > 0 && d.totalBytes() >= d.freeBytes());
  }
}
