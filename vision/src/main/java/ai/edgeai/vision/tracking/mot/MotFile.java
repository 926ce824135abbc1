package ai.edgeai.vision.tracking.mot;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads and writes MOTChallenge text files (ground truth, detections, tracker output). */
public final class MotFile {

  private static final Pattern SEPARATOR = Pattern.compile("\\s*,\\s*|\\s+");

  private MotFile() {}

  /**
   * Reads every non-empty line; fields are separated by commas (optionally with spaces) or by
   * white space. At least the six columns frame, id, left, top, width, height are required.
   *
   * @throws MotFormatException naming the file and line of the first malformed line
   */
  public static List<MotRecord> read(Path file) throws IOException {
    List<MotRecord> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String s;
      int n = 0;
      while ((s = r.readLine()) != null) {
        n++;
        String t = s.strip();
        if (t.isEmpty()) continue;
        out.add(parse(file, n, t));
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new MotFormatException(file + ": not a text file (invalid UTF-8)");
    }
    return out;
  }

  private static MotRecord parse(Path file, int line, String text) throws MotFormatException {
    String[] f = SEPARATOR.split(text);
    if (f.length < 6) {
      throw new MotFormatException(file + ":" + line + ": expected at least 6 comma-separated fields "
          + "(frame,id,left,top,width,height), found " + f.length + ": '" + abbreviate(text) + "'");
    }
    try {
      int frame = integer(f[0], "frame");
      int id = integer(f[1], "id");
      double left = number(f[2], "left");
      double top = number(f[3], "top");
      double width = number(f[4], "width");
      double height = number(f[5], "height");
      double conf = f.length > 6 ? number(f[6], "conf") : 1;
      // MOT15 ground truth carries world coordinates in columns 8-10: a non-integer there is no class.
      double clsValue = f.length > 7 ? number(f[7], "class") : -1;
      int cls = clsValue == Math.rint(clsValue) && Math.abs(clsValue) < 1e6 ? (int) clsValue : -1;
      double vis = f.length > 8 ? number(f[8], "visibility") : -1;
      return new MotRecord(frame, id, left, top, width, height, conf, cls, vis, line);
    } catch (IllegalArgumentException e) {
      throw new MotFormatException(file + ":" + line + ": " + e.getMessage() + " in '" + abbreviate(text) + "'");
    }
  }

  private static int integer(String s, String field) {
    double v = number(s, field);
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(field + " is not an integer: '" + s + "'");
    }
    return (int) v;
  }

  private static double number(String s, String field) {
    try {
      double v = Double.parseDouble(s);
      if (!Double.isFinite(v)) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a number: '" + abbreviate(s) + "'");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** Writes tracker output: {@code frame,id,left,top,width,height,conf,-1,-1,-1}. */
  public static void writeTracks(Path file, List<MotRecord> records) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (MotRecord r : records) {
        w.write(String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,%s,-1,-1,-1%n",
            r.frame(), r.id(), r.left(), r.top(), r.width(), r.height(), trim(r.conf())));
      }
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
  }
}
