package ai.edgeai.vision.tracking;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the MOTChallenge fixtures under src/test/resources/mot (see PROVENANCE.md there). */
public final class MotTestData {
  private MotTestData() {}

  public static Path path(String relative) {
    try {
      var url = MotTestData.class.getResource("/mot/" + relative);
      if (url == null) throw new IllegalStateException("missing test resource mot/" + relative);
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
