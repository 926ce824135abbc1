package ai.edgeai.llm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

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

  private final Map<String, Integer> mergeRanks;
  private final PreTokenizer preTokenizer;
  private final boolean ignoreMerges;

  /** @param mergeRanks "left\0right" to rank, see {@link #mergeKey} */
  ByteLevelBpeTokenizer(Vocabulary vocab, Map<String, Integer> mergeRanks, PreTokenizer preTokenizer) {
    super(vocab);
    this.mergeRanks = mergeRanks;
    this.preTokenizer = preTokenizer;
    this.ignoreMerges = preTokenizer.flavor().ignoreMerges();
  }

  /**
   * Parses merges ("a b", split at the first space after the first character, as llama.cpp does)
   * into a rank map keyed by {@link #mergeKey}.
   */
  static Map<String, Integer> parseMerges(String[] merges) {
    Map<String, Integer> ranks = new HashMap<>(merges.length * 2);
    for (int i = 0; i < merges.length; i++) {
      String merge = merges[i];
      int space = merge.indexOf(' ', 1);
      String key;
      if (space < 0) {
        key = mergeKey("", "");
      } else { // same as mergeKey(left, right), without the intermediate strings
        char[] chars = merge.toCharArray();
        chars[space] = '\0';
        key = new String(chars);
      }
      ranks.putIfAbsent(key, i);
    }
    return ranks;
  }

  static String mergeKey(String left, String right) {
    return left + '\0' + right;
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

  private record Bigram(int left, int right, int rank, String text) {}

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
    for (int i = 0; i < n; i++) {
      start[i] = i;
      len[i] = 1;
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    PriorityQueue<Bigram> queue =
        new PriorityQueue<>((a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
    for (int i = 1; i < n; i++) addBigram(word, start, len, i - 1, i, queue);
    while (!queue.isEmpty()) {
      Bigram bigram = queue.poll();
      int left = bigram.left;
      int right = bigram.right;
      if (len[left] == 0 || len[right] == 0) continue;
      // outdated: one side has grown since the bigram was queued
      if (len[left] + len[right] != bigram.text.length()
          || !word.startsWith(bigram.text, start[left])
          || start[right] != start[left] + len[left]) {
        continue;
      }
      len[left] += len[right];
      len[right] = 0;
      next[left] = next[right];
      if (next[right] >= 0) prev[next[right]] = left;
      addBigram(word, start, len, prev[left], left, queue);
      addBigram(word, start, len, left, next[left], queue);
    }
    for (int i = n == 0 ? -1 : 0; i != -1; i = next[i]) {
      String symbol = word.substring(start[i], start[i] + len[i]);
      int id = vocab.id(symbol);
      if (id >= 0) {
        out.add(id);
      } else {
        // llama.cpp then looks up each byte of the symbol's UTF-8 as a one-byte piece
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
          if (b >= 0) {
            int single = vocab.id(String.valueOf((char) b));
            if (single >= 0) out.add(single);
          }
        }
      }
    }
  }

  private void addBigram(String word, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
    if (left == -1 || right == -1) return;
    String l = word.substring(start[left], start[left] + len[left]);
    String r = word.substring(start[right], start[right] + len[right]);
    Integer rank = mergeRanks.get(mergeKey(l, r));
    if (rank == null) return;
    queue.add(new Bigram(left, right, rank, l + r));
  }

  @Override
  public byte[] tokenBytes(int id) {
    checkId(id);
    String piece = vocab.pieces[id];
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
