package ai.edgeai.llm.tokenizer;

import java.nio.charset.StandardCharsets;

/** What run.c prints for a token, for {@code generate --compat runc}. */
public final class RuncCompat {

  private RuncCompat() {}

  /**
   * run.c's {@code decode(prev, token)} for any tokenizer: exact for llama2.c tokenizers; for a
   * SentencePiece GGUF the piece as llama2.c's exporter would have written it ("▁" as space,
   * BOS/EOS as {@code "\n<s>\n"} / {@code "\n</s>\n"}), then the same rules.
   */
  public static byte[] piece(Tokenizer tokenizer, int previous, int token) {
    if (tokenizer instanceof Llama2cTokenizer llama2c) return llama2c.runcPiece(previous, token);
    String piece =
        token == tokenizer.bos() ? "\n<s>\n"
            : token == tokenizer.eos() ? "\n</s>\n"
            : tokenizer.piece(token).replace(SentencePieceTokenizer.SPACE_MARK, ' ');
    if (previous == tokenizer.bos() && piece.startsWith(" ")) piece = piece.substring(1);
    if (tokenizer.tokenType(token) == TokenType.BYTE) {
      byte[] b = SentencePieceTokenizer.byteOf(piece);
      return b.length == 1 && b[0] == 0 ? new byte[0] : b;
    }
    return piece.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * run.c's {@code safe_printf}: a one-byte piece is printed only if it is printable or whitespace
   * in the C locale; empty pieces print nothing; longer pieces print as they are. Returns the bytes
   * to print (possibly empty).
   */
  public static byte[] printable(byte[] piece) {
    if (piece.length == 0) return piece;
    if (piece.length == 1) {
      int b = piece[0] & 0xFF;
      boolean print = b >= 0x20 && b <= 0x7E;
      boolean space = b == ' ' || (b >= '\t' && b <= '\r');
      if (!(print || space)) return new byte[0];
    }
    return piece;
  }
}
