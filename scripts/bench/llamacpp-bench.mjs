#!/usr/bin/env node
// llama.cpp's speed on a GGUF, measured through node-llama-cpp (pinned by scripts/lib/prepare.sh)
// the way `edgeai bench llm` measures the Java engine: a prompt of p random valid token ids evaluated
// in one batch (logits for its last token only, then one greedy token), then n single-token decode
// steps of random ids at depth p, each computing logits and picking a token; r timed repetitions
// after a cold first run (which gives the time to first token). Prints one JSON object.
//
// usage: node llamacpp-bench.mjs --model FILE [--threads N] [-p 128] [-n 64] [-r 3] [--seed 42]
//        [--node-llama-cpp DIR]   (default: <repo>/.cache/npm/node_modules/node-llama-cpp)

import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function parseArgs(argv) {
  const o = { model: null, threads: 2, p: 128, n: 64, r: 3, seed: 42,
    lib: join(ROOT, ".cache/npm/node_modules/node-llama-cpp") };
  const intArg = (name, v) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) usage(`${name} must be a positive integer, got '${v}'`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (v === undefined && a !== "-h" && a !== "--help") usage(`${a} needs a value`);
    switch (a) {
      case "--model": case "-m": o.model = v; i++; break;
      case "--threads": case "-t": o.threads = intArg(a, v); i++; break;
      case "-p": o.p = intArg(a, v); i++; break;
      case "-n": o.n = intArg(a, v); i++; break;
      case "-r": o.r = intArg(a, v); i++; break;
      case "--seed": o.seed = intArg(a, v); i++; break;
      case "--node-llama-cpp": o.lib = resolve(v); i++; break;
      case "-h": case "--help": usage(null); break;
      default: usage(`unknown option '${a}'`);
    }
  }
  if (!o.model) usage("--model is required");
  return o;
}

function usage(msg) {
  if (msg) console.error(`llamacpp-bench: error: ${msg}`);
  console.error("usage: node llamacpp-bench.mjs --model FILE [--threads N] [-p 128] [-n 64] [-r 3] [--seed 42] [--node-llama-cpp DIR]");
  process.exit(msg ? 2 : 0);
}

/** Deterministic random token ids (xorshift32), so repeated runs feed the same prompt. */
function randomTokens(seed, vocab, count) {
  let s = seed >>> 0 || 1;
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s % vocab;
  }
  return out;
}

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
/** Sample standard deviation (n - 1), as llama-bench reports; 0 for a single value. */
const sd = (v) => v.length < 2 ? 0 : Math.sqrt(v.reduce((a, x) => a + (x - mean(v)) ** 2, 0) / (v.length - 1));
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

const o = parseArgs(process.argv.slice(2));
let modelBytes;
try {
  modelBytes = statSync(o.model).size;
} catch (e) {
  console.error(`llamacpp-bench: error: ${o.model}: model file not found`);
  process.exit(1);
}
const libEntry = join(o.lib, "dist/index.js");
let lib, libVersion;
try {
  lib = await import(pathToFileURL(libEntry).href);
  libVersion = JSON.parse((await import("node:fs")).readFileSync(join(o.lib, "package.json"), "utf8")).version;
} catch (e) {
  console.error(`llamacpp-bench: error: cannot load node-llama-cpp from ${o.lib} (run: source scripts/lib/prepare.sh; ROOT=$PWD prepare_ggml_oracle): ${e.message}`);
  process.exit(1);
}

// CPU only, the prebuilt binary, no thread cap: maxThreads 0 makes the context use exactly `threads`.
const llama = await lib.getLlama({ gpu: false, build: "never", maxThreads: 0, logLevel: "error", progressLogs: false });
let t = now();
const model = await llama.loadModel({ modelPath: o.model, gpuLayers: 0, useMmap: true });
const loadMs = now() - t;
const md = model.fileInfo.metadata;
const vocab = md?.[md?.general?.architecture]?.vocab_size ?? md?.tokenizer?.ggml?.tokens?.length;
if (!Number.isInteger(vocab) || vocab < 1) {
  console.error(`llamacpp-bench: error: ${o.model}: cannot tell the vocabulary size (no <arch>.vocab_size or tokenizer.ggml.tokens)`);
  process.exit(1);
}
const context = await model.createContext({
  contextSize: o.p + o.n, batchSize: Math.min(o.p, 512), threads: o.threads, sequences: 1,
});
const seq = context.getSequence();
const prompt = randomTokens(o.seed, vocab, o.p);
let decodeSeed = o.seed + 1;

/** The prompt in one evaluation; logits and a greedy token for its last position only. */
async function prefill() {
  const input = prompt.map((tok, i) => (i === prompt.length - 1 ? [tok, { generateNext: { token: true } }] : tok));
  const res = await seq.controlledEvaluate(input);
  const next = res[prompt.length - 1]?.next?.token;
  if (next == null) throw new Error("no token generated after the prompt");
}

async function decode() {
  const ids = randomTokens(decodeSeed++, vocab, o.n);
  for (const tok of ids) {
    const res = await seq.controlledEvaluate([[tok, { generateNext: { token: true } }]]);
    if (res[0]?.next?.token == null) throw new Error("no token generated in decode");
  }
}

// Cold first run: the time to first token a first request sees; it also warms everything up.
t = now();
await prefill();
const ttftMs = now() - t;
await decode();

const prefillTps = [], decodeTps = [], prefillMs = [];
for (let i = 0; i < o.r; i++) {
  await seq.clearHistory();
  const a = now();
  await prefill();
  const b = now();
  await decode();
  const e = now();
  prefillMs.push(b - a);
  prefillTps.push(o.p / ((b - a) / 1000));
  decodeTps.push(o.n / ((e - b) / 1000));
}

const release = llama.llamaCppRelease;
console.log(JSON.stringify({
  model: o.model,
  model_bytes: modelBytes,
  backend: `llama.cpp ${release.release} via node-llama-cpp ${libVersion} (${llama.buildType}, cpu)`,
  system_info: llama.systemInfo,
  threads: context.currentThreads,
  threads_requested: o.threads,
  p: o.p, n: o.n, r: o.r,
  ctx: context.contextSize,
  batch_size: context.batchSize,
  flash_attention: context.flashAttention,
  prefill_tokens_per_s: mean(prefillTps),
  prefill_tokens_per_s_sd: sd(prefillTps),
  decode_tokens_per_s: mean(decodeTps),
  decode_tokens_per_s_sd: sd(decodeTps),
  prefill_ms: mean(prefillMs),
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  load_ms: loadMs,
  ttft_ms: ttftMs,
  prefill_tokens_per_s_runs: prefillTps,
  decode_tokens_per_s_runs: decodeTps,
}));
await context.dispose();
await model.dispose();
await llama.dispose();
