package ai.edgeai.llm.tensor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Test-only FFM binding to ggml's own reference code in node-llama-cpp's prebuilt
 * {@code libggml-base.so} ({@code quantize_row_*_ref}, {@code dequantize_row_*}, row conversions
 * for F16/BF16). scripts/lib/prepare.sh installs it into {@code .cache/npm}; the property
 * {@code edgeai.ggml.lib} or the environment variable {@code EDGEAI_GGML_LIB} point elsewhere.
 */
final class GgmlOracle implements AutoCloseable {

  private final Arena arena = Arena.ofShared();
  private final SymbolLookup lib;
  private final Linker linker = Linker.nativeLinker();
  private final FunctionDescriptor rowFn = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_LONG);

  private GgmlOracle(Path path) {
    this.lib = SymbolLookup.libraryLookup(path, arena);
  }

  /** Where the library is expected, in lookup order. */
  static List<Path> candidates() {
    List<Path> c = new ArrayList<>();
    String prop = System.getProperty("edgeai.ggml.lib");
    if (prop != null && !prop.isBlank()) c.add(Path.of(prop));
    String env = System.getenv("EDGEAI_GGML_LIB");
    if (env != null && !env.isBlank()) c.add(Path.of(env));
    String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "linux-x64";
      case "aarch64", "arm64" -> "linux-arm64";
      case "arm" -> "linux-armv7l";
      default -> "unknown";
    };
    String rel = ".cache/npm/node_modules/@node-llama-cpp/" + arch + "/bins/" + arch + "/libggml-base.so";
    Path dir = Path.of("").toAbsolutePath();
    // Surefire runs in the module folder; walk up to the repository root.
    for (Path d = dir; d != null; d = d.getParent()) {
      c.add(d.resolve(rel));
      if (Files.exists(d.resolve("mvnw"))) break; // the repository root
    }
    return c;
  }

  static Optional<GgmlOracle> load() {
    for (Path p : candidates()) if (Files.isRegularFile(p)) return Optional.of(new GgmlOracle(p));
    return Optional.empty();
  }

  private MethodHandle fn(String name) {
    MemorySegment sym = lib.find(name).orElseThrow(() -> new IllegalStateException("libggml-base.so lacks " + name));
    return linker.downcallHandle(sym, rowFn);
  }

  private static String suffix(GgmlType type) {
    return type.name().toLowerCase(Locale.ROOT).replace("_k", "_K");
  }

  /** ggml's quantize_row_<type>_ref (or the F16/BF16 row conversion) of {@code x}. */
  byte[] quantize(GgmlType type, float[] x) throws Throwable {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment in = a.allocateFrom(ValueLayout.JAVA_FLOAT, x);
      long bytes = type.byteSize(x.length);
      MemorySegment out = a.allocate(bytes);
      String name = switch (type) {
        case F16 -> "ggml_fp32_to_fp16_row";
        case BF16 -> "ggml_fp32_to_bf16_row_ref";
        default -> "quantize_row_" + suffix(type) + "_ref";
      };
      fn(name).invokeExact(in, out, (long) x.length);
      return out.toArray(ValueLayout.JAVA_BYTE);
    }
  }

  /** ggml's dequantize_row_<type> (or the F16/BF16 row conversion) of {@code n} elements. */
  float[] dequantize(GgmlType type, byte[] blocks, int n) throws Throwable {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment in = a.allocateFrom(ValueLayout.JAVA_BYTE, blocks);
      MemorySegment out = a.allocate(4L * n);
      String name = switch (type) {
        case F16 -> "ggml_fp16_to_fp32_row";
        case BF16 -> "ggml_bf16_to_fp32_row";
        default -> "dequantize_row_" + suffix(type);
      };
      fn(name).invokeExact(in, out, (long) n);
      return out.toArray(ValueLayout.JAVA_FLOAT);
    }
  }

  @Override
  public void close() {
    arena.close();
  }
}
