package ai.edgeai.llm.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Runs a GGUF with llama.cpp through node-llama-cpp (scripts/oracle/llamacpp-teacher-forced.mjs),
 * installed by scripts/lib/prepare.sh into {@code .cache/npm}. The environment variable
 * {@code EDGEAI_NODE_MODULES} points at another node_modules folder.
 */
final class LlamaCppRunner {

  /** llama.cpp's choice after one position and its two highest log-probabilities. */
  record Prediction(int position, int token, double logProb, int secondToken, double secondLogProb) {
    double gap() {
      return logProb - secondLogProb;
    }
  }

  private final Path script;
  private final Path nodeModules;

  private LlamaCppRunner(Path script, Path nodeModules) {
    this.script = script;
    this.nodeModules = nodeModules;
  }

  /** The runner, or why it cannot run here (node, the script or node-llama-cpp missing). */
  static Optional<LlamaCppRunner> find(StringBuilder whyNot) {
    Path root = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw"))) {
        root = d;
        break;
      }
    }
    if (root == null) {
      whyNot.append("repository root (the folder holding mvnw) not found above ").append(Path.of("").toAbsolutePath());
      return Optional.empty();
    }
    Path script = root.resolve("scripts/oracle/llamacpp-teacher-forced.mjs");
    String env = System.getenv("EDGEAI_NODE_MODULES");
    Path modules = env != null && !env.isBlank() ? Path.of(env) : root.resolve(".cache/npm/node_modules");
    if (!Files.isRegularFile(script)) {
      whyNot.append("missing ").append(script);
    } else if (!Files.isRegularFile(modules.resolve("node-llama-cpp/package.json"))) {
      whyNot.append("node-llama-cpp is not installed in ").append(modules).append(" (run: source scripts/lib/prepare.sh; ROOT=$PWD prepare_ggml_oracle)");
    } else if (!nodeRuns()) {
      whyNot.append("node is not on the PATH");
    } else {
      return Optional.of(new LlamaCppRunner(script, modules));
    }
    return Optional.empty();
  }

  private static boolean nodeRuns() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Feeds {@code tokens} to llama.cpp in one batch and returns its prediction after each. */
  List<Prediction> run(Path model, int[] tokens) throws IOException, InterruptedException {
    StringJoiner ids = new StringJoiner(",");
    for (int t : tokens) ids.add(Integer.toString(t));
    ProcessBuilder pb = new ProcessBuilder("node", script.toString(), model.toString(), ids.toString());
    pb.environment().put("EDGEAI_NODE_MODULES", nodeModules.toString());
    Path err = Files.createTempFile("llamacpp-", ".stderr");
    pb.redirectError(err.toFile());
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!proc.waitFor(120, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      throw new IOException("llama.cpp runner timed out on " + model);
    }
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    if (proc.exitValue() != 0) throw new IOException("llama.cpp runner failed (exit " + proc.exitValue() + ") on " + model + ": " + stderr.strip());
    List<Prediction> result = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      String[] f = line.split("\t");
      if (f.length != 5) throw new IOException("unexpected runner output line: " + line + "\nstderr: " + stderr);
      result.add(new Prediction(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]), Integer.parseInt(f[3]), Double.parseDouble(f[4])));
    }
    if (result.size() != tokens.length) throw new IOException("runner gave " + result.size() + " predictions for " + tokens.length + " tokens");
    return result;
  }
}
