package ai.edgeai.llm.tokenizer;

import java.util.Arrays;
import java.util.Set;

/**
 * The shared part of every tokenizer: pieces, token types, the piece-to-id map and the special ids.
 * Where a piece occurs twice the later id wins, as in llama.cpp's {@code token_to_id}.
 */
final class Vocabulary {

  private final Pieces pieces;
  final TokenType[] types;
  final int bos;
  final int eos;
  final int eot;
  final int unk;
  final boolean addBos;
  final boolean addEos;
  /** Special ids whose trailing/leading whitespace is swallowed when splitting text on them. */
  final Set<Integer> rstrip;
  final Set<Integer> lstrip;

  Vocabulary(
      Pieces pieces,
      TokenType[] types,
      int bos,
      int eos,
      int eot,
      int unk,
      boolean addBos,
      boolean addEos,
      Set<Integer> rstrip,
      Set<Integer> lstrip) {
    if (pieces.size() != types.length) {
      throw new IllegalArgumentException(pieces.size() + " pieces but " + types.length + " token types");
    }
    this.pieces = pieces;
    this.types = types;
    this.bos = inRange(bos);
    this.eos = inRange(eos);
    this.eot = inRange(eot);
    this.unk = inRange(unk);
    this.addBos = addBos && this.bos >= 0;
    this.addEos = addEos && this.eos >= 0;
    this.rstrip = Set.copyOf(rstrip);
    this.lstrip = Set.copyOf(lstrip);
  }

  private int inRange(int id) {
    return id >= 0 && id < pieces.size() ? id : -1;
  }

  int size() {
    return pieces.size();
  }

  /** Piece {@code id} (a new String on each call). */
  String piece(int id) {
    return pieces.get(id);
  }

  /** The length of piece {@code id} in chars. */
  int pieceLength(int id) {
    return pieces.length(id);
  }

  /** The id of {@code piece}, or -1; where a piece occurs twice the later id. */
  int id(String piece) {
    return pieces.id(piece);
  }

  /** Ids of control, user-defined and unknown tokens, longest text first (ties by id). */
  int[] specialsLongestFirst() {
    return java.util.stream.IntStream.range(0, pieces.size())
        .filter(i -> types[i].isSpecial() && pieces.length(i) != 0)
        .boxed()
        .sorted((a, b) -> pieces.length(b) != pieces.length(a)
            ? Integer.compare(pieces.length(b), pieces.length(a))
            : Integer.compare(a, b))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Override
  public String toString() {
    return "Vocabulary[" + pieces.size() + " tokens, bos=" + bos + ", eos=" + eos + ", types="
        + Arrays.stream(types).distinct().toList() + "]";
  }
}
