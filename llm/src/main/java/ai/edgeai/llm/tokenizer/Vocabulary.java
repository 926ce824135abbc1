package ai.edgeai.llm.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shared part of every tokenizer: pieces, token types, the piece-to-id map and the special ids.
 * Where a piece occurs twice the later id wins, as in llama.cpp's {@code token_to_id}.
 */
final class Vocabulary {

  final String[] pieces;
  final TokenType[] types;
  final Map<String, Integer> ids;
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
      String[] pieces,
      TokenType[] types,
      int bos,
      int eos,
      int eot,
      int unk,
      boolean addBos,
      boolean addEos,
      Set<Integer> rstrip,
      Set<Integer> lstrip) {
    if (pieces.length != types.length) {
      throw new IllegalArgumentException(pieces.length + " pieces but " + types.length + " token types");
    }
    this.pieces = pieces;
    this.types = types;
    this.ids = new HashMap<>(pieces.length * 2);
    for (int i = 0; i < pieces.length; i++) ids.put(pieces[i], i);
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
    return id >= 0 && id < pieces.length ? id : -1;
  }

  int size() {
    return pieces.length;
  }

  int id(String piece) {
    Integer id = ids.get(piece);
    return id == null ? -1 : id;
  }

  /** Ids of control, user-defined and unknown tokens, longest text first (ties by id). */
  int[] specialsLongestFirst() {
    return java.util.stream.IntStream.range(0, pieces.length)
        .filter(i -> types[i].isSpecial() && !pieces[i].isEmpty())
        .boxed()
        .sorted((a, b) -> pieces[b].length() != pieces[a].length()
            ? Integer.compare(pieces[b].length(), pieces[a].length())
            : Integer.compare(a, b))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Override
  public String toString() {
    return "Vocabulary[" + pieces.length + " tokens, bos=" + bos + ", eos=" + eos + ", types="
        + Arrays.stream(types).distinct().toList() + "]";
  }
}
