package ai.edgeai.llm.gguf;

import ai.edgeai.llm.tensor.Dequantize;
import ai.edgeai.llm.tensor.GgmlType;
import ai.edgeai.llm.tensor.Quantize;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Re-encodes the weights of a GGUF file to another type, the way llama.cpp's quantizer and gguf-py's
 * reference quantizer do for the plain types: every float tensor (F32/F16/BF16) with at least two
 * dimensions whose rows are a multiple of the target block size is converted (embeddings and the
 * output matrix included); 1-D tensors (norms, biases) and tensors whose rows do not fit the block
 * size (stories260K's ffn_down, rows of 172) keep their type, as do tensors that are already
 * quantized (no re-quantization of quantized data). Metadata are copied with their types;
 * {@code general.architecture} goes first (as gguf-py writes it) and {@code general.file_type} is
 * set to the target's llama.cpp file type.
 */
public final class GgufQuantizer {

  /** What happened to each tensor. */
  public record Result(int converted, int kept, long inputBytes, long outputBytes) {}

  private static final Map<GgmlType, Integer> FILE_TYPES = Map.of(
      GgmlType.F32, 0, GgmlType.F16, 1, GgmlType.Q4_0, 2, GgmlType.Q4_1, 3, GgmlType.Q8_0, 7,
      GgmlType.Q5_0, 8, GgmlType.Q5_1, 9, GgmlType.BF16, 32);

  private static final List<GgmlType> FLOAT_SOURCES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16);

  private GgufQuantizer() {}

  /** The target types this quantizer produces. */
  public static boolean supportsTarget(GgmlType type) {
    return FILE_TYPES.containsKey(type) && Quantize.supports(type);
  }

  /** llama.cpp's {@code llama_ftype} for a file that is "mostly" {@code type}. */
  public static int fileType(GgmlType type) {
    Integer ft = FILE_TYPES.get(type);
    if (ft == null) throw new IllegalArgumentException("no llama.cpp file type for " + type);
    return ft;
  }

  /** True when {@code t} is converted to {@code target} by {@link #quantize}. */
  public static boolean converts(GgufTensorInfo t, GgmlType target) {
    return t.nDims() >= 2 && FLOAT_SOURCES.contains(t.type()) && t.type() != target && t.dim(0) % target.blockSize() == 0;
  }

  /** Quantizes {@code in} to {@code out}; {@code out} may be {@code in} (it is replaced at the end). */
  public static Result quantize(Path in, Path out, GgmlType target) throws IOException {
    if (!supportsTarget(target)) throw new IllegalArgumentException("cannot quantize to " + target);
    try (GgufFile src = GgufFile.open(in)) {
      GgufWriter w = new GgufWriter();
      GgufMetadata md = src.metadata();
      if (md.contains("general.architecture")) w.put("general.architecture", md.type("general.architecture"), md.get("general.architecture"));
      w.putAll(md);
      w.putUint32("general.file_type", fileType(target));
      int converted = 0, kept = 0;
      long outBytes = 0;
      for (GgufTensorInfo t : src.tensors()) {
        MemorySegment data = src.tensorData(t);
        if (converts(t, target)) {
          if (t.dim(0) > Integer.MAX_VALUE - 8) throw new ModelFormatException(in, "tensor '" + t.name() + "' rows of " + t.dim(0) + " elements are too long");
          int cols = (int) t.dim(0);
          long rows = t.elementCount() / cols;
          long srcRowBytes = t.type().byteSize(cols);
          w.addTensor(t.name(), target, t.dims(), sink -> {
            float[] row = new float[cols];
            byte[] q = new byte[(int) target.byteSize(cols)];
            MemorySegment qs = MemorySegment.ofArray(q);
            for (long r = 0; r < rows; r++) {
              Dequantize.row(t.type(), data, r * srcRowBytes, row, 0, cols);
              Quantize.row(target, row, 0, qs, 0, cols);
              sink.write(qs);
            }
          });
          converted++;
          outBytes += target.byteSize(t.elementCount());
        } else {
          w.addTensor(t.name(), t.type(), t.dims(), data);
          kept++;
          outBytes += t.byteSize();
        }
      }
      w.write(out);
      long inBytes = src.tensors().stream().mapToLong(GgufTensorInfo::byteSize).sum();
      return new Result(converted, kept, inBytes, outBytes);
    }
  }
}
