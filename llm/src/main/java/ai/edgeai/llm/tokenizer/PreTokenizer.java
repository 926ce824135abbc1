package ai.edgeai.llm.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words before byte-level BPE, with the regex list llama.cpp uses for a
 * {@code tokenizer.ggml.pre} value. The regexes run one after another: each one splits every chunk
 * the previous one produced into its matches and the unmatched gaps between them (llama.cpp's
 * {@code unicode_regex_split}), and lookaheads do not see past the chunk.
 *
 * <p>The regexes are written in llama.cpp's dialect and translated: {@code \s} becomes the exact
 * whitespace set llama.cpp uses (Unicode White_Space: ASCII \t\n\v\f\r and space plus U+0085, U+00A0,
 * U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), and {@code $} the end of the
 * chunk. {@code \p{L}}, {@code \p{N}}, {@code \p{P}} are Java's Unicode general categories, which
 * are what llama.cpp's collapsed-category matching and its hand-written GPT-2/Llama 3 splitters
 * compute.
 */
final class PreTokenizer {

  private static final String WHITESPACE =
      "\\t\\n\\x0B\\f\\r\\x20\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";

  // GPT-2's regex; the trailing \s+ is what llama.cpp's hand-written GPT-2 splitter does for a
  // single whitespace character that no other alternative takes.
  private static final String GPT2 =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
  // Llama 3 with its (?i:...) contractions spelled out, as llama.cpp does.
  private static final String LLAMA3 =
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  private static final String QWEN2 =
      "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  private static final String GPT2_NO_TRAILING =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
  // DeepSeek LLM: cased letters listed explicitly (escaped: several of them change under NFC).
  private static final String DEEPSEEK_LETTERS =
      "\\s?[A-Za-z\\u00B5\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u01BA\\u01BC-\\u01BF\\u01C4-\\u0293"
          + "\\u0295-\\u02AF\\u0370-\\u0373\\u0376\\u0377\\u037B-\\u037D\\u037F\\u0386\\u0388-\\u038A\\u038C"
          + "\\u038E-\\u03A1\\u03A3-\\u03F5\\u03F7-\\u0481\\u048A-\\u052F\\u0531-\\u0556\\u10A0-\\u10C5"
          + "\\u13A0-\\u13F5\\u13F8-\\u13FD\\u1C90-\\u1CBA\\u1CBD-\\u1CBF\\u1D00-\\u1D2B\\u1D6B-\\u1D77"
          + "\\u1D79-\\u1D9A\\u1E00-\\u1F15\\u1F18-\\u1F1D\\u1F20-\\u1F45\\u1F48-\\u1F4D\\u1F50-\\u1F57\\u1F59"
          + "\\u1F5B\\u1F5D\\u1F5F-\\u1F7D\\u1F80-\\u1FB4\\u1FB6-\\u1FBC\\u1FBE\\u1FC2-\\u1FC4\\u1FC6-\\u1FCC"
          + "\\u1FD0-\\u1FD3\\u1FD6-\\u1FDB\\u1FE0-\\u1FEC\\u1FF2-\\u1FF4\\u1FF6-\\u1FFC\\u2102\\u2107"
          + "\\u210A-\\u2113\\u2115\\u2119-\\u211D\\u2124\\u2126\\u2128\\u212A-\\u212D\\u212F-\\u2134\\u2139"
          + "\\u213C-\\u213F\\u2145-\\u2149\\u214E\\u2183\\u2184\\u2C00-\\u2C7B\\u2C7E-\\u2CE4\\u2CEB-\\u2CEE"
          + "\\u2CF2\\u2CF3\\uA640-\\uA66D\\uA680-\\uA69B\\uA722-\\uA76F\\uA771-\\uA787\\uA78B-\\uA78E"
          + "\\uAB70-\\uABBF\\uFB00-\\uFB06\\uFB13-\\uFB17\\uFF21-\\uFF3A\\uFF41-\\uFF5A\\x{10400}-\\x{1044F}"
          + "\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}"
          + "\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+";
  private static final String CJK = "[\\u4E00-\\u9FA5\\u0800-\\u4E00\\uAC00-\\uD7FF]+";

  /** A pre-tokenizer flavour: its regexes and the vocabulary flags llama.cpp ties to it. */
  record Flavor(List<String> regexes, boolean ignoreMerges, boolean addBos) {}

  private static final Flavor DEFAULT_FLAVOR =
      new Flavor(List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2_NO_TRAILING, "\\p{N}+", "[0-9][0-9][0-9]"), false, false);
  private static final Flavor GPT2_FLAVOR = new Flavor(List.of(GPT2), false, false);
  private static final Flavor LLAMA3_FLAVOR = new Flavor(List.of(LLAMA3), true, true);
  private static final Flavor STARCODER_FLAVOR = new Flavor(List.of("\\p{N}", GPT2_NO_TRAILING), false, false);
  private static final Flavor QWEN2_FLAVOR = new Flavor(List.of(QWEN2), false, false);

  /** The {@code tokenizer.ggml.pre} values implemented, with llama.cpp's grouping. */
  static final Map<String, Flavor> FLAVORS =
      Map.ofEntries(
          Map.entry("default", DEFAULT_FLAVOR),
          Map.entry("gpt-2", GPT2_FLAVOR),
          Map.entry("phi-2", GPT2_FLAVOR),
          Map.entry("mpt", GPT2_FLAVOR),
          Map.entry("olmo", GPT2_FLAVOR),
          Map.entry("jais", GPT2_FLAVOR),
          Map.entry("llama3", LLAMA3_FLAVOR),
          Map.entry("llama-v3", LLAMA3_FLAVOR),
          Map.entry("llama-bpe", LLAMA3_FLAVOR),
          Map.entry("falcon3", LLAMA3_FLAVOR),
          Map.entry("dbrx", new Flavor(List.of(LLAMA3), false, false)),
          Map.entry("smaug-bpe", new Flavor(List.of(LLAMA3), false, false)),
          Map.entry("deepseek-llm",
              new Flavor(List.of("[\\r\\n]", DEEPSEEK_LETTERS,
                  "\\s?[!-/:-~\\uFF01-\\uFF0F\\uFF1A-\\uFF5E\\u2018-\\u201F\\u3000-\\u3002]+", "\\s+$", CJK, "\\p{N}+"),
                  false, false)),
          Map.entry("deepseek-coder",
              new Flavor(List.of("[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK, "\\p{N}"), false, false)),
          Map.entry("falcon",
              new Flavor(List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2_NO_TRAILING, "[0-9][0-9][0-9]"), false, false)),
          Map.entry("starcoder", STARCODER_FLAVOR),
          Map.entry("refact", STARCODER_FLAVOR),
          Map.entry("command-r", STARCODER_FLAVOR),
          Map.entry("smollm", STARCODER_FLAVOR),
          Map.entry("codeshell", STARCODER_FLAVOR),
          Map.entry("exaone", STARCODER_FLAVOR),
          Map.entry("qwen2", QWEN2_FLAVOR),
          Map.entry("deepseek-r1-qwen", QWEN2_FLAVOR),
          Map.entry("megrez", QWEN2_FLAVOR),
          Map.entry("stablelm2", QWEN2_FLAVOR));

  private final Flavor flavor;
  private final List<Pattern> patterns;

  PreTokenizer(Flavor flavor) {
    this.flavor = flavor;
    this.patterns = flavor.regexes().stream().map(r -> Pattern.compile(translate(r))).toList();
  }

  Flavor flavor() {
    return flavor;
  }

  /** Splits {@code text} into words; concatenated they give back the text. */
  List<String> split(String text) {
    List<int[]> chunks = new ArrayList<>();
    chunks.add(new int[] {0, text.length()});
    for (Pattern pattern : patterns) {
      List<int[]> next = new ArrayList<>(chunks.size() * 2);
      Matcher m = pattern.matcher(text);
      for (int[] chunk : chunks) {
        m.region(chunk[0], chunk[1]); // opaque, anchoring bounds: the chunk is the whole input
        int gapStart = chunk[0];
        while (m.find()) {
          if (m.end() == m.start()) continue; // none of these regexes matches empty; be safe
          if (m.start() > gapStart) next.add(new int[] {gapStart, m.start()});
          next.add(new int[] {m.start(), m.end()});
          gapStart = m.end();
        }
        if (gapStart < chunk[1]) next.add(new int[] {gapStart, chunk[1]});
      }
      chunks = next;
    }
    List<String> words = new ArrayList<>(chunks.size());
    for (int[] chunk : chunks) words.add(text.substring(chunk[0], chunk[1]));
    return words;
  }

  /** llama.cpp regex dialect to java.util.regex: \s, \S and $ as described in the class comment. */
  static String translate(String regex) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        char e = regex.charAt(i + 1);
        if (e == 's') {
          out.append(inClass ? WHITESPACE : "[" + WHITESPACE + "]");
        } else if (e == 'S') {
          if (inClass) throw new IllegalArgumentException("\\S inside a class: " + regex);
          out.append("[^").append(WHITESPACE).append("]");
        } else {
          out.append(c).append(e);
        }
        i++;
        continue;
      }
      if (c == '[' && !inClass) inClass = true;
      else if (c == ']' && inClass) inClass = false;
      if (c == '$' && !inClass) {
        out.append("\\z");
        continue;
      }
      out.append(c);
    }
    return out.toString();
  }
}
