package ai.edgeai.vision.tracking.mot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [Sequence]} section of a MOTChallenge {@code seqinfo.ini}.
 *
 * @param seqLength number of frames (frames are 1..seqLength)
 */
public record SeqInfo(String name, double frameRate, int seqLength, int imWidth, int imHeight) {

  public SeqInfo {
    if (seqLength < 0) throw new IllegalArgumentException("seqLength must be ≥ 0: " + seqLength);
  }

  /** Reads seqinfo.ini; seqLength is required, the other keys default to empty/0. */
  public static SeqInfo read(Path ini) throws IOException {
    List<String> lines = Files.readAllLines(ini);
    Map<String, String> kv = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String s = lines.get(i).strip();
      if (s.isEmpty() || s.startsWith("[") || s.startsWith(";") || s.startsWith("#")) continue;
      int eq = s.indexOf('=');
      if (eq < 0) throw new MotFormatException(ini + ":" + (i + 1) + ": expected key=value, found '" + s + "'");
      kv.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
    }
    String len = kv.get("seqLength");
    if (len == null) throw new MotFormatException(ini + ": missing seqLength");
    try {
      return new SeqInfo(kv.getOrDefault("name", ""), Double.parseDouble(kv.getOrDefault("frameRate", "0")),
          Integer.parseInt(len), Integer.parseInt(kv.getOrDefault("imWidth", "0")),
          Integer.parseInt(kv.getOrDefault("imHeight", "0")));
    } catch (IllegalArgumentException e) {
      throw new MotFormatException(ini + ": bad value: " + e.getMessage());
    }
  }
}
