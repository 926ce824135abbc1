package ai.edgeai.vision.face;

import ai.edgeai.vision.VisionException;
import ai.edgeai.vision.model.Embeddings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Known people's face embeddings, stored as one JSON file ({@code faces/gallery.json} in the data
 * folder). The file records which embedder produced the vectors, because embeddings of different
 * models are not comparable.
 *
 * <p>Identification: cosine similarity against each stored embedding; a person's score is their
 * best match; the best person is reported when the score reaches the threshold. With aligned
 * MobileFaceNet embeddings the same person scores about 0.6–0.7 and different people about
 * −0.1…0.2, so {@link #DEFAULT_THRESHOLD} = 0.4 sits in the gap.
 */
public final class FaceGallery {
  /** Minimum cosine similarity to accept an identity (see class comment). */
  public static final double DEFAULT_THRESHOLD = 0.4;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private String embedder;
  private final Map<String, List<float[]>> people = new TreeMap<>();

  private FaceGallery(Path file) {
    this.file = file;
  }

  /** A best match. */
  public record Match(String name, double similarity) {}

  /** The gallery file inside a data folder. */
  public static Path fileIn(Path dataDir) {
    return dataDir.resolve("faces").resolve("gallery.json");
  }

  /** Loads the gallery, or an empty one when the file does not exist yet. */
  public static FaceGallery open(Path file) {
    FaceGallery g = new FaceGallery(file);
    if (!Files.exists(file)) return g;
    try {
      JsonNode root = JSON.readTree(file.toFile());
      g.embedder = root.path("embedder").asText(null);
      JsonNode ppl = root.path("people");
      for (Iterator<Map.Entry<String, JsonNode>> it = ppl.fields(); it.hasNext(); ) {
        var e = it.next();
        List<float[]> list = new ArrayList<>();
        for (JsonNode v : e.getValue()) {
          float[] f = new float[v.size()];
          for (int i = 0; i < f.length; i++) f[i] = (float) v.get(i).asDouble();
          list.add(f);
        }
        g.people.put(e.getKey(), list);
      }
      return g;
    } catch (IOException | RuntimeException e) {
      throw new VisionException("cannot read face gallery " + file + ": " + e.getMessage());
    }
  }

  public Path file() { return file; }

  /** Name of the embedding model the stored vectors came from; null when empty. */
  public String embedder() { return embedder; }

  /** Enrolled names with their number of embeddings, sorted by name. */
  public Map<String, Integer> people() {
    Map<String, Integer> out = new LinkedHashMap<>();
    people.forEach((k, v) -> out.put(k, v.size()));
    return out;
  }

  public boolean isEmpty() { return people.isEmpty(); }

  /**
   * Adds embeddings for {@code name} and saves.
   *
   * @throws VisionException when they come from another embedder than the stored ones
   */
  public void enroll(String name, List<float[]> embeddings, String embedderName) {
    checkName(name);
    if (embeddings.isEmpty()) throw new IllegalArgumentException("no embeddings to enroll for " + name);
    if (embedder != null && !people.isEmpty() && !embedder.equals(embedderName)) {
      throw new VisionException("face gallery " + file + " holds embeddings of '" + embedder + "', not '" + embedderName
          + "'; remove its people or use that embedder");
    }
    int dim = people.values().stream().flatMap(List::stream).findFirst().map(f -> f.length).orElse(embeddings.getFirst().length);
    for (float[] e : embeddings) {
      if (e.length != dim) throw new VisionException("embedding size " + e.length + " does not match the gallery's " + dim);
    }
    embedder = embedderName;
    people.computeIfAbsent(name, k -> new ArrayList<>()).addAll(embeddings.stream().map(float[]::clone).toList());
    save();
  }

  /** Removes a person and saves; false when the name is not enrolled. */
  public boolean remove(String name) {
    if (people.remove(name) == null) return false;
    save();
    return true;
  }

  /** Best person for {@code embedding} if their similarity reaches {@code threshold}. */
  public Optional<Match> identify(float[] embedding, double threshold) {
    Match best = null;
    for (var e : people.entrySet()) {
      for (float[] v : e.getValue()) {
        if (v.length != embedding.length) {
          throw new VisionException("face gallery " + file + " stores " + v.length + "-d embeddings, the embedder gives " + embedding.length);
        }
        double s = Embeddings.cosine(v, embedding);
        if (best == null || s > best.similarity()) best = new Match(e.getKey(), s);
      }
    }
    return best != null && best.similarity() >= threshold ? Optional.of(best) : Optional.empty();
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("person name must be 1-64 printable characters: '" + name + "'");
    }
  }

  private void save() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", 1);
    root.put("embedder", embedder);
    ObjectNode ppl = root.putObject("people");
    people.forEach((name, list) -> {
      ArrayNode arr = ppl.putArray(name);
      for (float[] v : list) {
        ArrayNode a = arr.addArray();
        for (float f : v) a.add(f);
      }
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new VisionException("cannot write face gallery " + file + ": " + e.getMessage());
    }
  }
}
