package ai.edgeai.server.chat;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code strftime} directives (C locale) for the templates' {@code strftime_now}. */
final class Strftime {

  private Strftime() {}

  static String format(ZonedDateTime t, String format) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 == format.length()) {
        sb.append(c);
        continue;
      }
      char d = format.charAt(++i);
      switch (d) {
        case 'd' -> sb.append(two(t.getDayOfMonth()));
        case '-' -> { // %-d, %-m: glibc's unpadded forms
          if (i + 1 < format.length()) {
            char e = format.charAt(++i);
            sb.append(switch (e) {
              case 'd' -> String.valueOf(t.getDayOfMonth());
              case 'm' -> String.valueOf(t.getMonthValue());
              case 'H' -> String.valueOf(t.getHour());
              default -> "%-" + e;
            });
          }
        }
        case 'm' -> sb.append(two(t.getMonthValue()));
        case 'Y' -> sb.append(t.getYear());
        case 'y' -> sb.append(two(t.getYear() % 100));
        case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'H' -> sb.append(two(t.getHour()));
        case 'I' -> sb.append(two((t.getHour() + 11) % 12 + 1));
        case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
        case 'M' -> sb.append(two(t.getMinute()));
        case 'S' -> sb.append(two(t.getSecond()));
        case 'j' -> sb.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
        case 'Z' -> sb.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case '%' -> sb.append('%');
        default -> sb.append('%').append(d);
      }
    }
    return sb.toString();
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : String.valueOf(v);
  }
}
