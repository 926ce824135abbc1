package ai.edgeai.llm.tokenizer;

import ai.edgeai.llm.gguf.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * llama2.c's {@code tokenizer.bin} (i32 max_token_length, then per token: f32 score, i32 length,
 * bytes) with run.c's exact algorithms. Pieces are raw bytes (spaces already in place of "▁",
 * BOS = {@code "\n<s>\n"}), handled as Latin-1 strings so that lookups compare bytes like
 * run.c's {@code strcmp}.
 *
 * <p>Encoding: BOS, a dummy-prefix {@code " "} token for non-empty text, one token per UTF-8 code
 * point (or its bytes + 3 when the code point is no piece), then merge the adjacent pair with the
 * best score, leftmost on ties, until none is a piece. {@link EncodeOptions#parseSpecial()} is
 * ignored: run.c has no such notion.
 */
public final class Llama2cTokenizer implements Tokenizer {

  public static final int BOS = 1;
  public static final int EOS = 2;

  private final Path file;
  private final int maxTokenLength;
  private final String[] pieces; // Latin-1: one char per byte
  private final float[] scores;
  private final TokenType[] types;
  private final Map<String, Integer> ids;
  private final int dummyPrefix;

  private Llama2cTokenizer(Path file, int maxTokenLength, String[] pieces, float[] scores) {
    this.file = file;
    this.maxTokenLength = maxTokenLength;
    this.pieces = pieces;
    this.scores = scores;
    this.types = new TokenType[pieces.length];
    this.ids = new HashMap<>(pieces.length * 2);
    for (int i = 0; i < pieces.length; i++) {
      ids.putIfAbsent(pieces[i], i);
      types[i] =
          i == 0 ? TokenType.UNKNOWN
              : i == BOS || i == EOS ? TokenType.CONTROL
              : byteValue(pieces[i]) >= 0 ? TokenType.BYTE
              : TokenType.NORMAL;
    }
    this.dummyPrefix = ids.getOrDefault(" ", -1);
  }

  /**
   * Reads a tokenizer.bin. With {@code vocabularySize} &gt; 0 exactly that many tokens are read
   * (run.c takes the count from the checkpoint; trailing bytes are ignored); with 0 the file is read
   * to its end.
   */
  public static Llama2cTokenizer read(Path file, int vocabularySize) throws IOException {
    byte[] data = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    if (data.length < 4) throw new ModelFormatException(file, "tokenizer.bin shorter than its 4-byte header");
    int maxTokenLength = in.getInt();
    if (maxTokenLength <= 0 || maxTokenLength > 1 << 16) {
      throw new ModelFormatException(file, "max_token_length " + maxTokenLength + " is not plausible");
    }
    java.util.List<String> pieces = new java.util.ArrayList<>();
    java.util.List<Float> scores = new java.util.ArrayList<>();
    while (vocabularySize > 0 ? pieces.size() < vocabularySize : in.hasRemaining()) {
      int token = pieces.size();
      if (in.remaining() < 8) {
        throw new ModelFormatException(file, "token " + token + ": file ends inside its score/length header"
            + (vocabularySize > 0 ? " (expected " + vocabularySize + " tokens)" : ""));
      }
      float score = in.getFloat();
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new ModelFormatException(file, "token " + token + ": length " + length + " exceeds the "
            + in.remaining() + " bytes left in the file");
      }
      if (length > maxTokenLength) {
        throw new ModelFormatException(file, "token " + token + ": length " + length
            + " exceeds max_token_length " + maxTokenLength);
      }
      byte[] bytes = new byte[length];
      in.get(bytes);
      pieces.add(new String(bytes, StandardCharsets.ISO_8859_1));
      scores.add(score);
    }
    if (pieces.size() <= EOS) throw new ModelFormatException(file, "only " + pieces.size() + " tokens; BOS and EOS are missing");
    float[] s = new float[scores.size()];
    for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
    return new Llama2cTokenizer(file, maxTokenLength, pieces.toArray(String[]::new), s);
  }

  public Path file() {
    return file;
  }

  public int maxTokenLength() {
    return maxTokenLength;
  }

  @Override
  public Kind kind() {
    return Kind.LLAMA2C;
  }

  @Override
  public int[] encode(String text, EncodeOptions options) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < bytes.length; k++) {
      if (bytes[k] == 0) { // run.c reads a C string: it ends at the first NUL
        bytes = java.util.Arrays.copyOf(bytes, k);
        break;
      }
    }
    IntList tokens = new IntList();
    if (options.addSpecial()) tokens.add(BOS);
    if (bytes.length > 0 && dummyPrefix >= 0) tokens.add(dummyPrefix);
    // one token per code point; run.c caps a "code point" at 4 bytes
    int i = 0;
    while (i < bytes.length) {
      int end = i + 1;
      while (end < bytes.length && (bytes[end] & 0xC0) == 0x80 && end - i < 4) end++;
      Integer id = ids.get(new String(bytes, i, end - i, StandardCharsets.ISO_8859_1));
      if (id != null) {
        tokens.add(id);
      } else {
        for (int k = i; k < end; k++) tokens.add((bytes[k] & 0xFF) + 3);
      }
      i = end;
    }
    merge(tokens);
    return tokens.toArray();
  }

  /**
   * run.c's merge loop. Each step merges the pair with the highest score (strictly above -1e10,
   * first on ties); the pair lookups are cached and only the two pairs next to a merge recomputed,
   * which gives the same choices as run.c's full rescan.
   */
  private void merge(IntList tokens) {
    int n = tokens.size();
    int[] t = tokens.toArray();
    int[] pairId = new int[Math.max(n - 1, 0)];
    for (int i = 0; i + 1 < n; i++) pairId[i] = pairLookup(t[i], t[i + 1]);
    while (true) {
      float best = -1e10f;
      int bestIndex = -1;
      for (int i = 0; i + 1 < n; i++) {
        int id = pairId[i];
        if (id >= 0 && scores[id] > best) {
          best = scores[id];
          bestIndex = i;
        }
      }
      if (bestIndex < 0) break;
      t[bestIndex] = pairId[bestIndex];
      System.arraycopy(t, bestIndex + 2, t, bestIndex + 1, n - bestIndex - 2);
      System.arraycopy(pairId, bestIndex + 1, pairId, bestIndex, n - bestIndex - 2);
      n--;
      if (bestIndex > 0) pairId[bestIndex - 1] = pairLookup(t[bestIndex - 1], t[bestIndex]);
      if (bestIndex + 1 < n) pairId[bestIndex] = pairLookup(t[bestIndex], t[bestIndex + 1]);
    }
    tokens.truncate(0);
    for (int i = 0; i < n; i++) tokens.add(t[i]);
  }

  private int pairLookup(int a, int b) {
    // run.c concatenates C strings: a piece is cut at its first NUL byte
    Integer id = ids.get(cString(pieces[a]) + cString(pieces[b]));
    return id == null ? -1 : id;
  }

  private static String cString(String piece) {
    int nul = piece.indexOf('\0');
    return nul < 0 ? piece : piece.substring(0, nul);
  }

  /**
   * Exactly run.c's {@code decode(prev, token)}: the raw piece, without its leading space after
   * BOS, and {@code <0xXX>} pieces as their byte. BOS/EOS give their stored text
   * ({@code "\n</s>\n"}), as run.c would print it.
   */
  public byte[] runcPiece(int previous, int token) {
    String piece = cString(pieces[checkId(token)]);
    if (previous == BOS && piece.startsWith(" ")) piece = piece.substring(1);
    int b = runcByteValue(piece);
    if (b >= 0) return b == 0 ? new byte[0] : new byte[] {(byte) b};
    return piece.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** sscanf(piece, "<0x%02hhX>"): "<0x" and one or two hex digits; the closing '>' is not checked. */
  private static int runcByteValue(String piece) {
    if (!piece.startsWith("<0x") || piece.length() < 4) return -1;
    int value = Character.digit(piece.charAt(3), 16);
    if (value < 0) return -1;
    if (piece.length() > 4 && Character.digit(piece.charAt(4), 16) >= 0) {
      value = value * 16 + Character.digit(piece.charAt(4), 16);
    }
    return value;
  }

  /** Strict {@code <0xXX>} for token types. */
  private static int byteValue(String piece) {
    if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
    int hi = Character.digit(piece.charAt(3), 16);
    int lo = Character.digit(piece.charAt(4), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  @Override
  public int vocabularySize() {
    return pieces.length;
  }

  /** The piece as text (its bytes decoded as UTF-8; BOS is {@code "\n<s>\n"}). */
  @Override
  public String piece(int id) {
    return new String(pieces[checkId(id)].getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  public float score(int id) {
    return scores[checkId(id)];
  }

  @Override
  public byte[] tokenBytes(int id) {
    checkId(id);
    return switch (types[id]) {
      case CONTROL, UNKNOWN -> new byte[0];
      case BYTE -> new byte[] {(byte) byteValue(pieces[id])};
      default -> pieces[id].getBytes(StandardCharsets.ISO_8859_1);
    };
  }

  @Override
  public TokenType tokenType(int id) {
    return types[checkId(id)];
  }

  @Override
  public int bos() {
    return BOS;
  }

  @Override
  public int eos() {
    return EOS;
  }

  @Override
  public int eot() {
    return -1;
  }

  @Override
  public boolean addsBos() {
    return true;
  }

  @Override
  public boolean addsEos() {
    return false;
  }

  @Override
  public int tokenId(String piece) {
    Integer id = ids.get(new String(piece.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    return id == null ? -1 : id;
  }

  /** run.c strips the leading space after BOS; at the start of a stream the dummy prefix goes too. */
  @Override
  public TokenDecoder newDecoder() {
    return new TokenDecoder(this, previous -> previous < 0 || previous == BOS);
  }

  private int checkId(int id) {
    if (id < 0 || id >= pieces.length) {
      throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + pieces.length);
    }
    return id;
  }
}
