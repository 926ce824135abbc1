package ai.edgeai.llm.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Vocabulary access, special-token splitting and id checks shared by the GGUF tokenizers. */
abstract class AbstractTokenizer implements Tokenizer {

  /** A piece of the input: raw text to tokenize, or an already recognised special token. */
  record Fragment(String text, int token) {
    boolean isToken() {
      return token >= 0;
    }
  }

  final Vocabulary vocab;
  private final int[] specials;
  /** The text of each of {@link #specials}. */
  private final String[] specialTexts;

  AbstractTokenizer(Vocabulary vocab) {
    this.vocab = vocab;
    this.specials = vocab.specialsLongestFirst();
    this.specialTexts = new String[specials.length];
    for (int i = 0; i < specials.length; i++) specialTexts[i] = vocab.piece(specials[i]);
  }

  @Override
  public int vocabularySize() {
    return vocab.size();
  }

  @Override
  public String piece(int id) {
    return vocab.piece(checkId(id));
  }

  @Override
  public TokenType tokenType(int id) {
    return vocab.types[checkId(id)];
  }

  @Override
  public int bos() {
    return vocab.bos;
  }

  @Override
  public int eos() {
    return vocab.eos;
  }

  @Override
  public int eot() {
    return vocab.eot;
  }

  @Override
  public boolean addsBos() {
    return vocab.addBos;
  }

  @Override
  public boolean addsEos() {
    return vocab.addEos;
  }

  @Override
  public int tokenId(String piece) {
    return vocab.id(piece);
  }

  @Override
  public TokenDecoder newDecoder() {
    return new TokenDecoder(this, this::stripsLeadingSpaceAfter);
  }

  /**
   * Whether decoding drops one leading space from the first text after {@code previous} (-1 at the
   * start of a stream): undoes the space prefix SentencePiece adds to every text fragment.
   */
  abstract boolean stripsLeadingSpaceAfter(int previous);

  final int checkId(int id) {
    if (id < 0 || id >= vocab.size()) {
      throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab.size());
    }
    return id;
  }

  /**
   * Splits text on special-token strings, longest first, as llama.cpp's
   * {@code tokenizer_st_partition}: user-defined tokens always, control and unknown tokens only
   * when {@code parseSpecial}.
   */
  final List<Fragment> partition(String text, boolean parseSpecial) {
    List<Fragment> fragments = new ArrayList<>();
    if (text.isEmpty()) return fragments;
    fragments.add(new Fragment(text, -1));
    for (int sp = 0; sp < specials.length; sp++) {
      int special = specials[sp];
      TokenType type = vocab.types[special];
      if (!parseSpecial && (type == TokenType.CONTROL || type == TokenType.UNKNOWN)) continue;
      String needle = specialTexts[sp];
      boolean lstrip = vocab.lstrip.contains(special);
      boolean rstrip = vocab.rstrip.contains(special);
      List<Fragment> next = null;
      for (int f = 0; f < fragments.size(); f++) {
        Fragment fragment = fragments.get(f);
        if (fragment.isToken() || !fragment.text().contains(needle)) {
          if (next != null) next.add(fragment);
          continue;
        }
        if (next == null) next = new ArrayList<>(fragments.subList(0, f));
        String raw = fragment.text();
        int from = 0;
        while (true) {
          int match = raw.indexOf(needle, from);
          if (match < 0) {
            if (from < raw.length()) next.add(new Fragment(raw.substring(from), -1));
            break;
          }
          int leftEnd = match;
          if (lstrip) while (leftEnd > from && isCSpace(raw.charAt(leftEnd - 1))) leftEnd--;
          if (leftEnd > from) next.add(new Fragment(raw.substring(from, leftEnd), -1));
          next.add(new Fragment(needle, special));
          from = match + needle.length();
          if (rstrip) while (from < raw.length() && isCSpace(raw.charAt(from))) from++;
        }
      }
      if (next != null) fragments = next;
    }
    return fragments;
  }

  /** C's isspace in the "C" locale. */
  static boolean isCSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  static int[] toArray(List<Integer> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) out[i] = list.get(i);
    return out;
  }
}
