package ai.edgeai.cli.llm;

import ai.edgeai.llm.gguf.GgufFile;
import ai.edgeai.llm.gguf.ModelFormatException;
import ai.edgeai.llm.tokenizer.EncodeOptions;
import ai.edgeai.llm.tokenizer.Tokenizer;
import ai.edgeai.llm.tokenizer.Tokenizers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edgeai tokenize}: prints the token ids of a text. */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description = "Print the token ids of a text (GGUF models, vocabulary-only GGUFs, or llama2.c with --tokenizer).")
public final class TokenizeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, description = "GGUF file, or llama2.c checkpoint (.bin) with --tokenizer")
  Path model;

  @Option(names = "--tokenizer", description = "llama2.c tokenizer.bin (or a GGUF whose vocabulary to use)")
  Path tokenizerFile;

  @Option(names = "--text", required = true, description = "text to tokenize")
  String text;

  @Option(names = "--no-bos", description = "do not add BOS/EOS (or CLS/SEP)")
  boolean noBos;

  @Option(names = "--parse-special", description = "turn control-token text such as <|eot_id|> into those tokens")
  boolean parseSpecial;

  @Option(names = "--json", description = "print {\"ids\": [...], \"pieces\": [...]}")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Tokenizer tokenizer = load();
    int[] ids = tokenizer.encode(text, new EncodeOptions(!noBos, parseSpecial));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      ArrayNode idArray = root.putArray("ids");
      ArrayNode pieces = root.putArray("pieces");
      for (int id : ids) {
        idArray.add(id);
        pieces.add(tokenizer.piece(id));
      }
      out.println(mapper.writeValueAsString(root));
    } else {
      out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
    }
    out.flush();
    return 0;
  }

  private Tokenizer load() throws IOException {
    Path source = tokenizerFile != null ? tokenizerFile : model;
    if (isGguf(source)) {
      try (GgufFile file = GgufFile.open(source)) {
        return Tokenizers.fromGguf(file);
      }
    }
    if (tokenizerFile == null) {
      throw new ModelFormatException(model, "not a GGUF file; a llama2.c checkpoint needs --tokenizer tokenizer.bin");
    }
    return Tokenizers.fromLlama2c(tokenizerFile, llama2cVocabularySize(model));
  }

  private static boolean isGguf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return Arrays.equals(magic, new byte[] {'G', 'G', 'U', 'F'});
    }
  }

  /** vocab_size from the llama2.c header (7 x i32; negative means a separate classifier). */
  private static int llama2cVocabularySize(Path checkpoint) throws IOException {
    byte[] header;
    try (InputStream in = Files.newInputStream(checkpoint)) {
      header = in.readNBytes(28);
    }
    if (header.length < 28) throw new ModelFormatException(checkpoint, "llama2.c header needs 28 bytes, file has " + header.length);
    int vocab = Math.abs(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(20));
    if (vocab <= 2) throw new ModelFormatException(checkpoint, "llama2.c header: vocab_size " + vocab + " is not plausible");
    return vocab;
  }
}
