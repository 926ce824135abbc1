package ai.edgeai.llm.tokenizer;

import java.util.function.IntFunction;

/**
 * A vocabulary's pieces and the map from piece to id, without an object per token: every piece's
 * chars in one array, and an open-addressing table (linear probing, String's hash) of ids. Where a
 * piece occurs twice the later id wins, as {@code HashMap.put} in id order would. A Llama 3
 * vocabulary (128 K pieces) takes ~3 MB here instead of ~17 MB as Strings and a
 * {@code HashMap<String, Integer>}; {@link #get} makes a new String on each call.
 */
final class Pieces {

  private final char[] chars;
  /** Piece i is chars[offsets[i], offsets[i + 1]). */
  private final int[] offsets;
  /** id + 1 per slot; 0 = empty. */
  private final int[] slots;
  private final int shift;

  /** {@code pieces.apply(i)} is piece i, read once (so that the pieces need not live at once). */
  Pieces(int count, IntFunction<String> pieces) {
    offsets = new int[count + 1];
    char[] all = new char[Math.max(16, count * 8)];
    int[] hashes = new int[count];
    int used = 0;
    for (int i = 0; i < count; i++) {
      String piece = pieces.apply(i);
      int len = piece.length();
      if (all.length - used < len) {
        all = java.util.Arrays.copyOf(all, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * all.length, (long) used + len)));
        if (all.length - used < len) throw new IllegalArgumentException("pieces too long");
      }
      piece.getChars(0, len, all, used);
      used += len;
      offsets[i + 1] = used;
      hashes[i] = piece.hashCode();
    }
    chars = java.util.Arrays.copyOf(all, used);
    int bits = Math.max(4, 33 - Integer.numberOfLeadingZeros(Math.max(1, count))); // load <= 1/2
    if (bits > 30) throw new IllegalArgumentException("too many pieces: " + count);
    slots = new int[1 << bits];
    shift = 32 - bits;
    int mask = slots.length - 1;
    for (int i = 0; i < count; i++) {
      for (int s = slot(hashes[i]); ; s = (s + 1) & mask) {
        int at = slots[s] - 1;
        if (at < 0 || (hashes[at] == hashes[i] && same(at, i))) {
          slots[s] = i + 1;
          break;
        }
      }
    }
  }

  private int slot(int hash) {
    return (hash * 0x9E3779B9) >>> shift;
  }

  private boolean same(int a, int b) {
    int len = length(a);
    if (len != length(b)) return false;
    return java.util.Arrays.equals(chars, offsets[a], offsets[a] + len, chars, offsets[b], offsets[b] + len);
  }

  int size() {
    return offsets.length - 1;
  }

  /** Piece {@code id} as a new String. */
  String get(int id) {
    return new String(chars, offsets[id], offsets[id + 1] - offsets[id]);
  }

  /** The length of piece {@code id} in chars. */
  int length(int id) {
    return offsets[id + 1] - offsets[id];
  }

  /** Whether piece {@code id} is {@code text}. */
  boolean is(int id, String text) {
    int off = offsets[id];
    int len = offsets[id + 1] - off;
    if (len != text.length()) return false;
    for (int j = 0; j < len; j++) if (chars[off + j] != text.charAt(j)) return false;
    return true;
  }

  /** The id of {@code piece} (the last one where it occurs more than once), or -1. */
  int id(String piece) {
    int mask = slots.length - 1;
    for (int s = slot(piece.hashCode()); ; s = (s + 1) & mask) {
      int at = slots[s] - 1;
      if (at < 0) return -1;
      if (is(at, piece)) return at;
    }
  }
}
