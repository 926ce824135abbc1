package ai.edgeai.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * GGUF {@code tokenizer.ggml.model = gpt2}: byte-level BPE as llama.cpp's {@code llm_tokenizer_bpe}.
 * Text is split by the {@link PreTokenizer}, each word's UTF-8 bytes are mapped to GPT-2's printable
 * byte alphabet, and adjacent symbols are merged by merge rank (lowest first, ties: leftmost) until
 * no pair has a rank.
 */
final class ByteLevelBpeTokenizer extends AbstractTokenizer {

  /** GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the rest for U+0100 up. */
  static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[0x180];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      BYTE_TO_CHAR[b] = (char) (printable ? b : next++);
      CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }
  }

  private final Merges merges;
  private final PreTokenizer preTokenizer;
  private final boolean ignoreMerges;
  /** The symbol id of each one-byte symbol, by byte value (the symbol is BYTE_TO_CHAR[b]). */
  private final int[] byteSymbols = new int[256];

  ByteLevelBpeTokenizer(Vocabulary vocab, Merges merges, PreTokenizer preTokenizer) {
    super(vocab);
    this.merges = merges;
    this.preTokenizer = preTokenizer;
    this.ignoreMerges = preTokenizer.flavor().ignoreMerges();
    for (int b = 0; b < 256; b++) byteSymbols[b] = merges.symbol(String.valueOf(BYTE_TO_CHAR[b]));
  }

  /**
   * The merge ranks, as llama.cpp's {@code bpe_ranks} (a map from the pair of strings to the rank;
   * for a pair listed twice the first rank counts), without an object per merge. Strings are
   * numbered as symbols: a vocabulary piece by its id (where a piece occurs twice, the id
   * {@link Vocabulary#id} gives), a string that only occurs in merges by the vocabulary size
   * upwards. Ranks sit in an open-addressing table keyed by the two symbols. A Llama 3 tokenizer's
   * 280 K merges take 4.3 MB here instead of ~31 MB as a {@code HashMap<String, Integer>}.
   */
  static final class Merges {

    private final Vocabulary vocab;
    /** Strings of merges that are no vocabulary piece (usually none). */
    private final Map<String, Integer> extra = new HashMap<>();
    /** Per rank: the two symbols, or -1 where the rank never matches (duplicate or empty side). */
    private final int[] left;
    private final int[] right;
    /** rank + 1 per slot; 0 = empty. */
    private final int[] slots;
    private final int shift;

    /**
     * Parses merges ("a b", split at the first space after the first character, as llama.cpp
     * does); {@code merges.apply(i)} is merge i, read once.
     */
    Merges(Vocabulary vocab, int count, IntFunction<String> merges) {
      this.vocab = vocab;
      this.left = new int[count];
      this.right = new int[count];
      long wanted = Math.max(16, count + (count >> 1)); // load <= 2/3
      int bits = 64 - Long.numberOfLeadingZeros(wanted - 1);
      if (bits > 30) throw new IllegalArgumentException("too many merges: " + count);
      this.slots = new int[1 << bits];
      this.shift = 64 - bits;
      for (int rank = 0; rank < count; rank++) {
        String merge = merges.apply(rank);
        int space = merge.indexOf(' ', 1);
        left[rank] = -1;
        right[rank] = -1;
        // without a space the key is ("", ""), and an empty right side: neither matches any symbol
        if (space < 0 || space + 1 == merge.length()) continue;
        int l = intern(merge.substring(0, space));
        int r = intern(merge.substring(space + 1));
        int s = find(l, r);
        if (slots[s] != 0) continue; // listed before: the first rank stays
        left[rank] = l;
        right[rank] = r;
        slots[s] = rank + 1;
      }
    }

    private int intern(String text) {
      int id = vocab.id(text);
      if (id >= 0) return id;
      Integer e = extra.get(text);
      if (e == null) {
        e = vocab.size() + extra.size();
        extra.put(text, e);
      }
      return e;
    }

    /** The symbol id of {@code text}, or -1 where it is neither a piece nor in any merge. */
    int symbol(String text) {
      int id = vocab.id(text);
      if (id >= 0 || extra.isEmpty()) return id;
      Integer e = extra.get(text);
      return e == null ? -1 : e;
    }

    /** The slot holding (l, r), or the empty slot where it would go. */
    private int find(int l, int r) {
      long key = ((long) l << 32) | (r & 0xFFFFFFFFL);
      key *= 0x9E3779B97F4A7C15L;
      int mask = slots.length - 1;
      for (int s = (int) ((key ^ (key >>> 29)) * 0xBF58476D1CE4E5B9L >>> shift); ; s = (s + 1) & mask) {
        int rank = slots[s] - 1;
        if (rank < 0 || (left[rank] == l && right[rank] == r)) return s;
      }
    }

    /** The rank of merging symbols l and r, or -1. */
    int rank(int l, int r) {
      if (l < 0 || r < 0) return -1;
      return slots[find(l, r)] - 1;
    }
  }

  @Override
  public Kind kind() {
    return Kind.BYTE_LEVEL_BPE;
  }

  @Override
  public int[] encode(String text, EncodeOptions options) {
    IntList out = new IntList();
    if (options.addSpecial() && vocab.addBos) out.add(vocab.bos);
    for (Fragment fragment : partition(text, options.parseSpecial())) {
      if (fragment.isToken()) {
        out.add(fragment.token());
      } else {
        for (String word : preTokenizer.split(fragment.text())) tokenizeWord(byteEncode(word), out);
      }
    }
    if (options.addSpecial() && vocab.addEos) out.add(vocab.eos);
    return out.toArray();
  }

  static String byteEncode(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    return new String(chars);
  }

  /** BPE over one byte-encoded word; every symbol is one char (the alphabet is in the BMP). */
  private void tokenizeWord(String word, IntList out) {
    if (ignoreMerges) {
      int id = vocab.id(word);
      if (id >= 0) {
        out.add(id);
        return;
      }
    }
    int n = word.length();
    int[] start = new int[n];
    int[] len = new int[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    int[] symbol = new int[n];
    for (int i = 0; i < n; i++) {
      start[i] = i;
      len[i] = 1;
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
      symbol[i] = byteSymbols[CHAR_TO_BYTE[word.charAt(i)]];
    }
    // Candidate merges, lowest rank first, ties: leftmost. A candidate is outdated when one of its
    // two symbols has changed since it was queued (merged away, or grown: their lengths no longer
    // add up).
    BigramQueue queue = new BigramQueue(n);
    for (int i = 1; i < n; i++) addBigram(symbol, len, i - 1, i, queue);
    while (!queue.isEmpty()) {
      queue.poll();
      int left = queue.left;
      int right = queue.right;
      if (len[left] == 0 || len[right] == 0) continue;
      if (len[left] + len[right] != queue.length || start[right] != start[left] + len[left]) continue;
      len[left] += len[right];
      len[right] = 0;
      next[left] = next[right];
      if (next[right] >= 0) prev[next[right]] = left;
      symbol[left] = merges.symbol(word.substring(start[left], start[left] + len[left]));
      addBigram(symbol, len, prev[left], left, queue);
      addBigram(symbol, len, left, next[left], queue);
    }
    for (int i = n == 0 ? -1 : 0; i != -1; i = next[i]) {
      int id = symbol[i] < vocab.size() ? symbol[i] : -1;
      if (id >= 0) {
        out.add(id);
      } else {
        // llama.cpp then looks up each byte of the symbol's UTF-8 as a one-byte piece
        String text = word.substring(start[i], start[i] + len[i]);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
          if (b >= 0) {
            int single = vocab.id(String.valueOf((char) b));
            if (single >= 0) out.add(single);
          }
        }
      }
    }
  }

  private void addBigram(int[] symbol, int[] len, int left, int right, BigramQueue queue) {
    if (left == -1 || right == -1) return;
    int rank = merges.rank(symbol[left], symbol[right]);
    if (rank < 0) return;
    queue.add(rank, left, right, len[left] + len[right]);
  }

  /**
   * A binary min-heap of candidate merges ordered by (rank, left), each with its right symbol and
   * merged length; {@link #poll} leaves the removed one in {@link #left}, {@link #right},
   * {@link #length}. Two entries with the same rank and left are the same pair of strings at the
   * same place, so their order does not matter.
   */
  private static final class BigramQueue {
    private long[] keys; // rank << 32 | left
    private long[] values; // right << 32 | length
    private int size;
    int left;
    int right;
    int length;

    BigramQueue(int words) {
      keys = new long[Math.max(4, words)];
      values = new long[keys.length];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(int rank, int left, int right, int length) {
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      long key = ((long) rank << 32) | left;
      long value = ((long) right << 32) | length;
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (keys[parent] <= key) break;
        keys[i] = keys[parent];
        values[i] = values[parent];
        i = parent;
      }
      keys[i] = key;
      values[i] = value;
    }

    void poll() {
      left = (int) keys[0];
      right = (int) (values[0] >>> 32);
      length = (int) values[0];
      long key = keys[--size];
      long value = values[size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && keys[child + 1] < keys[child]) child++;
        if (keys[child] >= key) break;
        keys[i] = keys[child];
        values[i] = values[child];
        i = child;
      }
      keys[i] = key;
      values[i] = value;
    }
  }

  @Override
  public byte[] tokenBytes(int id) {
    checkId(id);
    String piece = vocab.piece(id);
    return switch (vocab.types[id]) {
      case CONTROL, UNUSED, UNDEFINED -> new byte[0];
      case USER_DEFINED, UNKNOWN -> piece.getBytes(StandardCharsets.UTF_8);
      case NORMAL, BYTE -> byteDecode(piece);
    };
  }

  /** The byte alphabet back to bytes; characters outside it stay as their UTF-8. */
  static byte[] byteDecode(String piece) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length());
    for (int i = 0; i < piece.length(); ) {
      int cp = piece.codePointAt(i);
      i += Character.charCount(cp);
      int b = cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
      if (b >= 0) {
        out.write(b);
      } else {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  @Override
  boolean stripsLeadingSpaceAfter(int previous) {
    return false;
  }
}
