package ai.edgeai.llm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * GGUF {@code tokenizer.ggml.model = bert}: WordPiece as llama.cpp's {@code llm_tokenizer_wpm}.
 * Word-initial pieces are stored with a "▁" prefix and continuation pieces bare (llama.cpp's
 * converter removes the "##"). Text is normalised as llama.cpp does it — every code point replaced
 * by the first code point of its NFD decomposition (which drops accents), then lower-cased — split
 * on whitespace, with punctuation, ASCII symbols and CJK ideographs as words of their own; control
 * characters are dropped. Each word is cut greedily into the longest pieces; a word with any
 * unmatched rest becomes one UNK token. {@link EncodeOptions#addSpecial()} wraps the result in
 * CLS ... SEP.
 */
final class WordPieceTokenizer extends AbstractTokenizer {

  private final int maxPieceLength;

  WordPieceTokenizer(Vocabulary vocab) {
    super(vocab);
    int max = 1;
    for (int i = 0; i < vocab.size(); i++) max = Math.max(max, vocab.pieceLength(i));
    this.maxPieceLength = max;
  }

  @Override
  public Kind kind() {
    return Kind.WORDPIECE;
  }

  @Override
  public int[] encode(String text, EncodeOptions options) {
    IntList out = new IntList();
    if (options.addSpecial() && vocab.bos >= 0) out.add(vocab.bos);
    for (Fragment fragment : partition(text, options.parseSpecial())) {
      if (fragment.isToken()) {
        out.add(fragment.token());
      } else {
        for (String word : preprocess(fragment.text())) tokenizeWord(word, out);
      }
    }
    if (options.addSpecial() && vocab.eos >= 0) out.add(vocab.eos);
    return out.toArray();
  }

  private void tokenizeWord(String word, IntList out) {
    String text = SentencePieceTokenizer.SPACE_MARK + word;
    int wordStart = out.size();
    int n = text.length();
    for (int i = 0; i < n; ) {
      boolean match = false;
      for (int j = Math.min(n, i + maxPieceLength); j > i; j--) {
        if (j < n && Character.isLowSurrogate(text.charAt(j))) continue;
        int id = vocab.id(text.substring(i, j));
        if (id >= 0) {
          out.add(id);
          match = true;
          i = j;
          break;
        }
      }
      if (!match) {
        out.truncate(wordStart); // any unmatched rest discards the whole word
        break;
      }
    }
    if (out.size() == wordStart) out.add(vocab.unk);
  }

  static List<String> preprocess(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      cp = firstOfNfd(cp);
      if (isWhitespace(cp)) {
        flush(word, words);
        continue;
      }
      int type = Character.getType(cp);
      if (cp == 0 || cp == 0xFFFD || isControlCategory(type)) continue;
      int lower = Character.toLowerCase(cp);
      if (isPunctuation(type) || (cp < 0x7F && isSymbol(type)) || isChineseChar(cp)) {
        flush(word, words);
        words.add(new String(Character.toChars(lower)));
      } else {
        word.appendCodePoint(lower);
      }
    }
    flush(word, words);
    return words;
  }

  private static void flush(StringBuilder word, List<String> words) {
    if (!word.isEmpty()) {
      words.add(word.toString());
      word.setLength(0);
    }
  }

  private static int firstOfNfd(int cp) {
    if (cp < 0xC0) return cp;
    String nfd = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD);
    return nfd.codePointAt(0);
  }

  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
        || cp == 0x205F || cp == 0x3000;
  }

  private static boolean isControlCategory(int type) {
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.PRIVATE_USE;
  }

  private static boolean isPunctuation(int type) {
    return switch (type) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  private static boolean isSymbol(int type) {
    return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL
        || type == Character.MODIFIER_SYMBOL || type == Character.OTHER_SYMBOL;
  }

  private static boolean isChineseChar(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  @Override
  public byte[] tokenBytes(int id) {
    checkId(id);
    return switch (vocab.types[id]) {
      case CONTROL, UNUSED, UNDEFINED -> new byte[0];
      case USER_DEFINED, UNKNOWN -> vocab.piece(id).getBytes(StandardCharsets.UTF_8);
      case NORMAL, BYTE -> vocab.piece(id).replace(SentencePieceTokenizer.SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    };
  }

  @Override
  boolean stripsLeadingSpaceAfter(int previous) {
    return previous < 0 || vocab.types[previous].isSpecial();
  }
}
