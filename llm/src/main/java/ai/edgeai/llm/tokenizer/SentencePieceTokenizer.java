package ai.edgeai.llm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * GGUF {@code tokenizer.ggml.model = llama}: SentencePiece BPE as llama.cpp's
 * {@code llm_tokenizer_spm}. Each text fragment gets a space prefix when it starts the input or
 * follows a special token (per {@code add_space_prefix}), spaces become "▁", the text is split into
 * code points, and adjacent symbols are merged while their concatenation is a vocabulary piece,
 * highest score first (ties: leftmost). Symbols that are no piece fall back to {@code <0xXX>}
 * byte tokens.
 */
final class SentencePieceTokenizer extends AbstractTokenizer {

  static final char SPACE_MARK = '\u2581';

  private final float[] scores;
  private final boolean addSpacePrefix;
  private final int[] byteTokens = new int[256];

  SentencePieceTokenizer(Vocabulary vocab, float[] scores, boolean addSpacePrefix) {
    super(vocab);
    if (scores.length != vocab.size()) {
      throw new IllegalArgumentException(scores.length + " scores for " + vocab.size() + " tokens");
    }
    this.scores = scores;
    this.addSpacePrefix = addSpacePrefix;
    for (int b = 0; b < 256; b++) {
      int id = vocab.id(String.format("<0x%02X>", b));
      // llama.cpp falls back to a one-byte piece; only ASCII can be one as a Java string
      if (id < 0 && b < 0x80) id = vocab.id(String.valueOf((char) b));
      byteTokens[b] = id >= 0 ? id : vocab.unk;
    }
  }

  @Override
  public Kind kind() {
    return Kind.SENTENCEPIECE;
  }

  @Override
  public int[] encode(String text, EncodeOptions options) {
    IntList out = new IntList();
    boolean previousSpecial = true;
    if (options.addSpecial() && vocab.addBos) out.add(vocab.bos);
    for (Fragment fragment : partition(text, options.parseSpecial())) {
      if (fragment.isToken()) {
        out.add(fragment.token());
        previousSpecial = true;
      } else {
        String raw = addSpacePrefix && previousSpecial ? " " + fragment.text() : fragment.text();
        tokenize(raw.replace(' ', SPACE_MARK), out);
        previousSpecial = false;
      }
    }
    if (options.addSpecial() && vocab.addEos) out.add(vocab.eos);
    return out.toArray();
  }

  private record Bigram(int left, int right, float score, int size) {}

  /** One text fragment (already escaped); symbols are code points linked as a list. */
  private void tokenize(String text, IntList out) {
    int n = text.codePointCount(0, text.length());
    int[] start = new int[n];
    int[] len = new int[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0, offset = 0; i < n; i++) {
      start[i] = offset;
      len[i] = Character.charCount(text.codePointAt(offset));
      offset += len[i];
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    PriorityQueue<Bigram> queue =
        new PriorityQueue<>(
            (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
    for (int i = 1; i < n; i++) tryAddBigram(text, start, len, i - 1, i, queue);
    while (!queue.isEmpty()) {
      Bigram bigram = queue.poll();
      int left = bigram.left;
      int right = bigram.right;
      // skip bigrams whose symbols changed since they were queued
      if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != bigram.size) continue;
      len[left] += len[right];
      len[right] = 0;
      next[left] = next[right];
      if (next[right] >= 0) prev[next[right]] = left;
      tryAddBigram(text, start, len, prev[left], left, queue);
      tryAddBigram(text, start, len, left, next[left], queue);
    }
    for (int i = n == 0 ? -1 : 0; i != -1; i = next[i]) {
      String symbol = text.substring(start[i], start[i] + len[i]);
      int id = vocab.id(symbol);
      if (id >= 0) {
        out.add(id);
      } else {
        // Every merge produced a vocabulary piece, so only single code points can miss: bytes.
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
          int byteToken = byteTokens[b & 0xFF];
          if (byteToken >= 0) out.add(byteToken);
        }
      }
    }
  }

  private void tryAddBigram(String text, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
    if (left == -1 || right == -1) return;
    int size = len[left] + len[right];
    int id = vocab.id(text.substring(start[left], start[left] + size));
    if (id < 0) return;
    queue.add(new Bigram(left, right, scores[id], size));
  }

  @Override
  public byte[] tokenBytes(int id) {
    checkId(id);
    return switch (vocab.types[id]) {
      case CONTROL, UNKNOWN, UNUSED, UNDEFINED -> new byte[0];
      case USER_DEFINED -> vocab.piece(id).getBytes(StandardCharsets.UTF_8);
      case BYTE -> byteOf(vocab.piece(id));
      case NORMAL -> vocab.piece(id).replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    };
  }

  /** {@code <0xXX>} to its byte; anything else as its UTF-8 text. */
  static byte[] byteOf(String piece) {
    if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
      try {
        return new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)};
      } catch (NumberFormatException e) {
        // not a byte piece after all: fall through
      }
    }
    return piece.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  boolean stripsLeadingSpaceAfter(int previous) {
    return addSpacePrefix && (previous < 0 || vocab.types[previous].isSpecial());
  }

  float score(int id) {
    return scores[checkId(id)];
  }
}
