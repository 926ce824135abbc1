package ai.edgeai.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Facts Maven filtered into the jar at build time. */
public final class BuildInfo {

  private BuildInfo() {}

  /** The edgeai version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/edgeai-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read edgeai-version.properties from the jar", e);
    }
    return p.getProperty("version", "unknown");
  }
}
