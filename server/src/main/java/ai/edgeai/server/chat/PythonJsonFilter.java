package ai.edgeai.server.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Collection;
import java.util.Map;

/**
 * {@code tojson} as Hugging Face defines it for chat templates: Python's {@code json.dumps} with
 * {@code ensure_ascii=False}, its default separators ({@code ", "} and {@code ": "}, or {@code ","}
 * at line ends when indenting) and an optional {@code indent}.
 */
final class PythonJsonFilter implements Filter {

  @Override
  public String getName() {
    return "tojson";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    return dump(var, -1);
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    int indent = -1;
    Object ind = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
    if (ind instanceof Number n) indent = n.intValue();
    else if (ind instanceof String s && !s.isBlank()) indent = Integer.parseInt(s.trim());
    return dump(var, indent);
  }

  static String dump(Object v, int indent) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, indent, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int indent, int level) {
    if (v == null) sb.append("null");
    else if (v instanceof Boolean b) sb.append(b ? "true" : "false");
    else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16 ? String.valueOf((long) d) + ".0" : String.valueOf(d));
    } else if (v instanceof Number n) sb.append(n);
    else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) sb.append(indent >= 0 ? "," : ", ");
        first = false;
        newline(sb, indent, level + 1);
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), indent, level + 1);
      }
      newline(sb, indent, level);
      sb.append('}');
    } else if (v instanceof Collection<?> || v instanceof Object[]) {
      Iterable<?> items = v instanceof Collection<?> c ? c : java.util.Arrays.asList((Object[]) v);
      if (!items.iterator().hasNext()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      boolean first = true;
      for (Object o : items) {
        if (!first) sb.append(indent >= 0 ? "," : ", ");
        first = false;
        newline(sb, indent, level + 1);
        write(sb, o, indent, level + 1);
      }
      newline(sb, indent, level);
      sb.append(']');
    } else string(sb, v.toString());
  }

  private static void newline(StringBuilder sb, int indent, int level) {
    if (indent < 0) return;
    sb.append('\n');
    sb.append(" ".repeat(indent * level));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
