package ai.edgeai.llm.model;

import ai.edgeai.llm.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises model file formats by their first bytes. */
public final class ModelFiles {

  private ModelFiles() {}

  /** True when the file starts with the GGUF magic. */
  public static boolean isGguf(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] b = in.readNBytes(4);
      return b.length == 4 && ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() == GgufFile.MAGIC;
    }
  }
}
