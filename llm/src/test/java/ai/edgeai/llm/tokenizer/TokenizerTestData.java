package ai.edgeai.llm.tokenizer;

import ai.edgeai.llm.gguf.GgufFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test files under src/test/resources/llm (copied from the shared test data, see PROVENANCE.md). */
final class TokenizerTestData {

  private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

  private TokenizerTestData() {}

  static Path resource(String relative) {
    URL url = TokenizerTestData.class.getResource("/llm/" + relative);
    if (url == null) throw new IllegalStateException("missing test resource llm/" + relative);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean exists(String relative) {
    return TokenizerTestData.class.getResource("/llm/" + relative) != null;
  }

  /** A GGUF's tokenizer, loaded once per test JVM (the Llama 3 vocabulary is the slow one). */
  static Tokenizer gguf(String relative) {
    return CACHE.computeIfAbsent(relative, r -> {
      try (GgufFile file = GgufFile.open(resource(r))) {
        return Tokenizers.fromGguf(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static Tokenizer llama2c(String relative) {
    return CACHE.computeIfAbsent(relative, r -> {
      try {
        return Tokenizers.fromLlama2c(resource(r));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The 25 strings of ref/tokenizer/strings.bin (u32 length + UTF-8 each). */
  static List<String> referenceStrings() throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(resource("ref/tokenizer/strings.bin"))).order(ByteOrder.LITTLE_ENDIAN);
    List<String> out = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] b = new byte[in.getInt()];
      in.get(b);
      out.add(new String(b, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** One id list per line (space-separated; an empty line is an empty list). */
  static List<int[]> idLines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
    List<int[]> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      out.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split("\\s+")).mapToInt(Integer::parseInt).toArray());
    }
    return out;
  }

  /** llama.cpp's .inp format: strings separated by "\n__ggml_vocab_test__\n", trailing empty piece dropped. */
  static List<String> vocabInputs(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>(Arrays.asList(text.split("\n__ggml_vocab_test__\n", -1)));
    if (!parts.isEmpty() && parts.getLast().isEmpty()) parts.removeLast();
    return parts;
  }

  /** A minimal JSON reader for the reference files (objects, arrays, strings, numbers). */
  static Object parseJson(String json) {
    return new Object() {
      int pos;

      Object value() {
        skip();
        char c = json.charAt(pos);
        if (c == '{') {
          Map<String, Object> map = new LinkedHashMap<>();
          pos++;
          skip();
          if (json.charAt(pos) == '}') { pos++; return map; }
          while (true) {
            skip();
            String key = (String) value();
            skip();
            pos++; // ':'
            map.put(key, value());
            skip();
            if (json.charAt(pos++) == '}') return map;
          }
        }
        if (c == '[') {
          List<Object> list = new ArrayList<>();
          pos++;
          skip();
          if (json.charAt(pos) == ']') { pos++; return list; }
          while (true) {
            list.add(value());
            skip();
            if (json.charAt(pos++) == ']') return list;
          }
        }
        if (c == '"') {
          StringBuilder sb = new StringBuilder();
          pos++;
          while (true) {
            char ch = json.charAt(pos++);
            if (ch == '"') return sb.toString();
            if (ch != '\\') { sb.append(ch); continue; }
            char e = json.charAt(pos++);
            switch (e) {
              case 'n' -> sb.append('\n');
              case 't' -> sb.append('\t');
              case 'r' -> sb.append('\r');
              case 'b' -> sb.append('\b');
              case 'f' -> sb.append('\f');
              case 'u' -> { sb.append((char) Integer.parseInt(json.substring(pos, pos + 4), 16)); pos += 4; }
              default -> sb.append(e);
            }
          }
        }
        int start = pos;
        while (pos < json.length() && "+-0123456789.eE".indexOf(json.charAt(pos)) >= 0) pos++;
        String word = json.substring(start, pos);
        if (word.isEmpty()) {
          for (String lit : List.of("true", "false", "null")) {
            if (json.startsWith(lit, pos)) { pos += lit.length(); return lit.equals("null") ? null : Boolean.valueOf(lit); }
          }
          throw new IllegalArgumentException("bad JSON at " + pos);
        }
        return word.contains(".") || word.contains("e") ? (Object) Double.parseDouble(word) : (Object) Long.parseLong(word);
      }

      void skip() {
        while (pos < json.length() && Character.isWhitespace(json.charAt(pos))) pos++;
      }
    }.value();
  }
}
