package ai.edgeai.llm.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Not a test: a rough timing (for the design note, not an assertion) of a tight float-sum loop over
 * a mapped segment owned by a closeable shared arena versus the global arena. Run with
 * {@code java -cp llm/target/classes:llm/target/test-classes ai.edgeai.llm.gguf.ArenaCostProbe [MiB]}.
 */
public final class ArenaCostProbe {
  private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  public static void main(String[] args) throws IOException {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    Path file = Files.createTempFile("arena", ".bin");
    try {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < mib; i++) {
          b.clear();
          ch.write(b);
        }
      }
      for (int round = 0; round < 5; round++) {
        System.out.printf("round %d: shared %.3f ms/pass, global %.3f ms/pass, confined %.3f ms/pass%n", round,
            time(file, Arena.ofShared(), true), time(file, Arena.global(), false), time(file, Arena.ofConfined(), true));
      }
    } finally {
      Files.delete(file);
    }
  }

  private static double time(Path file, Arena arena, boolean close) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      long n = seg.byteSize() / 4;
      float sink = 0;
      for (int w = 0; w < 3; w++) sink += sum(seg, n);
      int passes = 10;
      long t0 = System.nanoTime();
      for (int p = 0; p < passes; p++) sink += sum(seg, n);
      double ms = (System.nanoTime() - t0) / 1e6 / passes;
      if (sink == 42) System.out.print("");
      if (close) arena.close();
      return ms;
    }
  }

  private static float sum(MemorySegment seg, long n) {
    float s = 0;
    for (long i = 0; i < n; i++) s += seg.get(F, 4 * i);
    return s;
  }
}
