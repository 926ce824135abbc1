package ai.edgeai.llm.gguf;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test data under {@code src/test/resources/llm/} (see its PROVENANCE.md), by relative path. */
public final class TestFiles {
  private TestFiles() {}

  public static Path llm(String relative) {
    URL url = TestFiles.class.getResource("/llm/" + relative);
    if (url == null) throw new IllegalStateException("missing test resource llm/" + relative);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final String[] SHARED_GGUFS = {
    "gguf/stories260K-f32.gguf", "gguf/stories260K-Q8_0.gguf", "gguf/stories260K-Q4_0.gguf", "gguf/llama-2-tiny-random.gguf"
  };
}
