package ai.edgeai.llm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Turns a stream of token ids into text without ever emitting half a UTF-8 character: a token
 * that ends inside a multi-byte character (byte-fallback tokens, byte-level BPE pieces of an emoji)
 * is held back until the character is complete. Bytes that can never form a character are emitted
 * as U+FFFD rather than held forever. Call {@link #flush()} at the end of the stream. Not
 * thread-safe; one per generation.
 */
public final class TokenDecoder {

  private final Tokenizer tokenizer;
  private final IntPredicate stripsLeadingSpaceAfter;
  private int previous = -1;
  private byte[] pending = new byte[16];
  private int length;

  TokenDecoder(Tokenizer tokenizer, IntPredicate stripsLeadingSpaceAfter) {
    this.tokenizer = tokenizer;
    this.stripsLeadingSpaceAfter = stripsLeadingSpaceAfter;
  }

  /** Adds one token and returns the text that is now complete (often empty). */
  public String accept(int id) {
    byte[] bytes = tokenizer.tokenBytes(id);
    int start = bytes.length > 0 && bytes[0] == ' ' && stripsLeadingSpaceAfter.test(previous) ? 1 : 0;
    previous = id;
    int n = bytes.length - start;
    if (length + n > pending.length) pending = Arrays.copyOf(pending, Math.max(pending.length * 2, length + n));
    System.arraycopy(bytes, start, pending, length, n);
    length += n;
    int complete = completeLength(pending, length);
    if (complete == 0) return "";
    String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
    System.arraycopy(pending, complete, pending, 0, length - complete);
    length -= complete;
    return text;
  }

  /** Returns whatever is held back (an incomplete character becomes U+FFFD) and clears it. */
  public String flush() {
    String text = new String(pending, 0, length, StandardCharsets.UTF_8);
    length = 0;
    return text;
  }

  /** Bytes held back because they end inside a character. */
  public int pendingBytes() {
    return length;
  }

  /**
   * The length of the prefix of {@code bytes[0..n)} that does not end inside a UTF-8 sequence:
   * everything but a trailing lead byte whose continuation bytes have not all arrived yet.
   */
  static int completeLength(byte[] bytes, int n) {
    for (int k = n - 1; k >= 0 && k >= n - 4; k--) {
      int b = bytes[k] & 0xFF;
      if ((b & 0xC0) == 0x80) continue; // continuation byte: keep looking for its lead
      int need = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
      return need > n - k ? k : n;
    }
    return n; // only continuation bytes at the end, or none: nothing can complete them
  }
}
