package ai.edgeai.llm.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The repacking both 16-row layouts share ({@link Q4Interleaved}, {@link Q8Interleaved}): a GGUF
 * block is an F16 scale followed by quant bytes, read here as little-endian shorts (the scale, then
 * {@code chunks} pairs of quant bytes). Per row group and block, the repacked form holds the 16
 * scales in row order, then chunk after chunk, chunk {@code c} holding pair {@code c} of every row
 * in row order: a 16 × {@code chunks} transposition of shorts.
 */
final class RowGroups {
  static final int ROWS = 16;
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private RowGroups() {}

  /**
   * Repacks row groups [g0, g1) of {@code src} (rows of {@code blocks} blocks of {@code 1 + chunks}
   * shorts) into {@code dst}. Returns false, leaving the work unfinished, at the first scale that is
   * infinite or NaN (the kernels convert scales with arithmetic exact for finite values only).
   * A block of the group at a time: the 16 rows' shorts come in with one bulk copy per row, are
   * transposed in an array and go out with one bulk copy. Short by short through the segments,
   * this took most of a Q8_0 load (2.1 s for the 1B shape on the EPYC VM).
   */
  static boolean repack(MemorySegment src, int blocks, int chunks, long g0, long g1, MemorySegment dst) {
    int blockShorts = 1 + chunks;
    long blockBytes = 2L * blockShorts;
    long rowBytes = blockBytes * blocks;
    long groupBlockBytes = ROWS * blockBytes;
    short[] in = new short[ROWS * blockShorts];
    short[] out = new short[ROWS * blockShorts];
    for (long g = g0; g < g1; g++) {
      long rows = g * ROWS * rowBytes;
      long d = g * blocks * groupBlockBytes;
      for (int b = 0; b < blocks; b++, d += groupBlockBytes) {
        for (int r = 0; r < ROWS; r++) MemorySegment.copy(src, I16, rows + r * rowBytes + blockBytes * b, in, blockShorts * r, blockShorts);
        for (int r = 0; r < ROWS; r++) {
          short scale = in[blockShorts * r];
          if ((scale & 0x7C00) == 0x7C00) return false;
          out[r] = scale;
          for (int c = 0; c < chunks; c++) out[ROWS + ROWS * c + r] = in[blockShorts * r + 1 + c]; // chunk c, short r
        }
        MemorySegment.copy(out, 0, dst, I16, d, out.length);
      }
    }
    return true;
  }
}
