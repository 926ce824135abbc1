// Runs a GGUF with llama.cpp (through node-llama-cpp) over a fixed token sequence and prints, for
// every position, llama.cpp's greedy choice for the next token and the two highest log-probabilities.
// Usage: node llamacpp-teacher-forced.mjs MODEL.gguf TOKEN,TOKEN,...
// Output: one line per position: "pos<TAB>token<TAB>logp1<TAB>token2<TAB>logp2"; errors go to stderr, exit 1.
// NODE_PATH or EDGEAI_NODE_MODULES must point at a node_modules folder holding node-llama-cpp.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modelPath, tokenList] = process.argv.slice(2);
if (!modelPath || !tokenList) {
  console.error("usage: node llamacpp-teacher-forced.mjs MODEL.gguf TOKEN,TOKEN,...");
  process.exit(2);
}
const tokens = tokenList.split(",").map((t) => Number.parseInt(t, 10));
const modules = process.env.EDGEAI_NODE_MODULES;
const entry = modules
  ? createRequire(path.join(modules, "noop.js")).resolve("node-llama-cpp")
  : "node-llama-cpp";
const { getLlama, LlamaLogLevel } = await import(modules ? pathToFileURL(entry).href : entry);

try {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({
    contextSize: Math.max(tokens.length + 8, 64),
    // One token per decode, as edgeai runs: batched decodes take other ggml paths (matrix-matrix
    // kernels) whose rounding differs slightly from the matrix-vector ones.
    batchSize: 1,
    threads: 1,
    flashAttention: false,
  });
  const sequence = context.getSequence();
  const input = tokens.map((t) => [t, { generateNext: { probabilities: true, options: { temperature: 0 } } }]);
  const results = await sequence.controlledEvaluate(input);
  const lines = [];
  results.forEach((r, pos) => {
    const it = r.next.probabilities.entries();
    const [t1, p1] = it.next().value;
    const second = it.next().value ?? [-1, 0];
    lines.push(`${pos}\t${t1}\t${Math.log(p1)}\t${second[0]}\t${Math.log(second[1])}`);
  });
  console.log(lines.join("\n"));
  await context.dispose();
  await model.dispose();
  await llama.dispose();
} catch (e) {
  console.error(`llama.cpp failed on ${modelPath}: ${e?.message ?? e}`);
  process.exit(1);
}
