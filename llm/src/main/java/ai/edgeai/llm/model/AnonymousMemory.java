package ai.edgeai.llm.model;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Off-heap memory for the weights the kernels read, as private anonymous pages that Linux may back
 * with 2 MB transparent huge pages ({@code madvise(MADV_HUGEPAGE)}, through the JDK's foreign
 * function API: libc only, no native code of ours).
 *
 * <p>Why not the file mapping, or {@link Arena#allocate}: on the development VM (a shadow-paging
 * hypervisor) a multi-threaded process reads a file mapping at ~1.2 GB/s against ~20 GB/s from
 * anonymous memory, and every 4 KB page fault costs ~10 µs, so that zeroing a 1.3 GB
 * {@code Arena.allocate} takes ~4 s where huge pages take ~0.2 s. Where the API or the huge pages
 * are not available (another OS, native access denied, THP off) the memory comes from
 * {@code Arena.allocate}: slower to fault in, read as fast.
 */
final class AnonymousMemory {

  // Linux constants, the same on x86-64 and AArch64.
  private static final int PROT_READ = 0x1;
  private static final int PROT_WRITE = 0x2;
  private static final int MAP_PRIVATE = 0x02;
  private static final int MAP_ANONYMOUS = 0x20;
  private static final int MADV_HUGEPAGE = 14;
  private static final long HUGE_PAGE = 2L << 20;

  /** mmap, madvise, munmap; null when unavailable here. */
  private static final MethodHandle[] LIBC = libc();

  private AnonymousMemory() {}

  /** True when {@link #allocate} maps huge-page-eligible memory rather than calling {@link Arena#allocate}. */
  static boolean hugePages() {
    return LIBC != null;
  }

  /**
   * {@code bytes} of zeroed memory, 64-byte aligned (2 MB aligned when mapped here), freed when
   * {@code arena} closes.
   */
  static MemorySegment allocate(long bytes, Arena arena) {
    if (bytes <= 0) throw new IllegalArgumentException("allocation of " + bytes + " bytes");
    if (LIBC != null && bytes >= HUGE_PAGE) {
      try {
        // One huge page extra, so that the start can be moved to a 2 MB boundary.
        long length = bytes + HUGE_PAGE;
        MemorySegment base = (MemorySegment) LIBC[0].invokeExact(MemorySegment.NULL, length, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (base.address() != -1L && base.address() != 0L) {
          long start = (base.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
          // Advice only: when it fails (THP off), the pages are ordinary ones.
          int ignored = (int) LIBC[1].invokeExact(MemorySegment.ofAddress(start), bytes, MADV_HUGEPAGE);
          long baseAddress = base.address();
          MemorySegment region = MemorySegment.ofAddress(baseAddress).reinterpret(length, arena, s -> unmap(baseAddress, length));
          return region.asSlice(start - baseAddress, bytes);
        }
      } catch (Throwable e) {
        // fall through to the portable allocation
      }
    }
    return arena.allocate(bytes, 64);
  }

  private static void unmap(long address, long length) {
    try {
      int ignored = (int) LIBC[2].invokeExact(MemorySegment.ofAddress(address), length);
    } catch (Throwable e) {
      // nothing to do: the process keeps the pages
    }
  }

  private static MethodHandle[] libc() {
    try {
      String os = System.getProperty("os.name", "");
      String arch = System.getProperty("os.arch", "");
      if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) return null;
      // Without native access the calls below would print a warning (or throw): stay portable instead.
      if (!AnonymousMemory.class.getModule().isNativeAccessEnabled()) return null;
      Linker linker = Linker.nativeLinker();
      SymbolLookup libc = linker.defaultLookup();
      MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
      MethodHandle madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
      MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
      return new MethodHandle[] {mmap, madvise, munmap};
    } catch (Throwable e) {
      return null;
    }
  }
}
