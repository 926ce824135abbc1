#!/usr/bin/env bash
# edgeai's LLM engine next to llama.cpp on the same GGUF and thread count.
#
#   scripts/bench/llm-vs-llamacpp.sh [--type q4_0|q8_0] [--threads 2] [-p 128] [-n 64] [-r 3] [--model FILE]
#
# Makes a Llama-3.2-1B-shaped GGUF with random weights and the real Llama 3 tokenizer
# (`edgeai synth`, cached in .cache/bench/), measures llama.cpp through node-llama-cpp
# (scripts/bench/llamacpp-bench.mjs; version pinned in scripts/lib/prepare.sh) and edgeai through
# `edgeai bench llm --json`, one after the other, then prints both and the ratios edgeai/llama.cpp.
# The two JSON objects are kept in .cache/bench/results/. See docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$ROOT"

TYPE=q4_0 THREADS=2 P=128 N=64 R=3 MODEL="" BANDWIDTH=()
usage() {
  echo "usage: $0 [--type q4_0|q8_0] [--threads N] [-p N] [-n N] [-r N] [--model FILE] [--bandwidth GBPS]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --type) TYPE="$(echo "$2" | tr 'A-Z' 'a-z')" ;;
    --threads|-t) THREADS="$2" ;;
    -p) P="$2" ;;
    -n) N="$2" ;;
    -r) R="$2" ;;
    --model) MODEL="$2" ;;
    --bandwidth) BANDWIDTH=(--bandwidth "$2") ;;
    *) usage ;;
  esac
  shift 2
done
case "$TYPE" in q4_0|q8_0) ;; *) echo "edgeai: error: --type must be q4_0 or q8_0, got '$TYPE'" >&2; exit 2 ;; esac
for v in "$THREADS" "$P" "$N" "$R"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "edgeai: error: --threads, -p, -n and -r must be positive integers, got '$v'" >&2; exit 2; }
done

source "$ROOT/scripts/lib/prepare.sh"
prepare_java
prepare_ggml_oracle
command -v node >/dev/null 2>&1 || { echo "edgeai: error: node is required (apt-get install nodejs)" >&2; exit 1; }

CACHE="$ROOT/.cache/bench"
mkdir -p "$CACHE/results"
if [ -z "$MODEL" ]; then
  MODEL="$CACHE/llama-3.2-1b-$TYPE.gguf"
  if [ ! -f "$MODEL" ]; then
    echo "== making $MODEL (edgeai synth, random weights, Llama 3 tokenizer)" >&2
    "$ROOT/edgeai" synth --preset llama-3.2-1b --type "$TYPE" \
      --vocab "$ROOT/llm/src/test/resources/llm/vocab/ggml-vocab-llama-bpe.RECONSTRUCTED.gguf" -o "$MODEL.part"
    mv "$MODEL.part" "$MODEL"
  fi
fi
[ -f "$MODEL" ] || { echo "edgeai: error: $MODEL: model file not found" >&2; exit 1; }

# Warm the page cache so that neither side pays for the first read from disk.
cat "$MODEL" > /dev/null

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
BASE="$CACHE/results/$(basename "$MODEL" .gguf)-t$THREADS-p$P-n$N-r$R-$STAMP"
echo "== load before: $(uptime | sed 's/.*load average/load average/')" >&2
echo "== llama.cpp (node-llama-cpp), $THREADS threads" >&2
node "$ROOT/scripts/bench/llamacpp-bench.mjs" --model "$MODEL" --threads "$THREADS" -p "$P" -n "$N" -r "$R" > "$BASE-llamacpp.json"
echo "== edgeai bench llm, $THREADS threads" >&2
"$ROOT/edgeai" bench llm --model "$MODEL" --threads "$THREADS" -p "$P" -n "$N" -r "$R" "${BANDWIDTH[@]}" --json \
  2> >(grep -v 'Using incubator modules' >&2) > "$BASE-edgeai.json"
echo "== load after: $(uptime | sed 's/.*load average/load average/')" >&2

node --input-type=module - "$BASE-llamacpp.json" "$BASE-edgeai.json" <<'EOF'
import { readFileSync } from "node:fs";
const [l, e] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, "utf8")));
const f = (x, d = 2) => (x == null || Number.isNaN(x) ? "-" : x.toFixed(d));
const pm = (m, s) => `${f(m)} ± ${f(s)}`;
const mb = (b) => (b == null ? "-" : `${(b / 1e6).toFixed(0)} MB`);
const rows = [
  ["", "llama.cpp", "edgeai", "edgeai/llama.cpp"],
  [`prefill tok/s (pp${e.p})`, pm(l.prefill_tokens_per_s, l.prefill_tokens_per_s_sd), pm(e.prefill_tokens_per_s, e.prefill_tokens_per_s_sd),
    f(e.prefill_tokens_per_s / l.prefill_tokens_per_s, 3)],
  [`decode tok/s (tg${e.n})`, pm(l.decode_tokens_per_s, l.decode_tokens_per_s_sd), pm(e.decode_tokens_per_s, e.decode_tokens_per_s_sd),
    f(e.decode_tokens_per_s / l.decode_tokens_per_s, 3)],
  ["time to first token (cold)", `${f(l.ttft_ms, 0)} ms`, `${f(e.ttft_ms, 0)} ms`, f(e.ttft_ms / l.ttft_ms, 2)],
  ["load", `${f(l.load_ms, 0)} ms`, `${f(e.load_ms, 0)} ms`, f(e.load_ms / l.load_ms, 2)],
  ["peak RSS", mb(l.peak_rss_bytes), mb(e.peak_rss_bytes), f(e.peak_rss_bytes / l.peak_rss_bytes, 2)],
  ["decode weight GB/s", f(e.weight_bytes_per_token * l.decode_tokens_per_s / 1e9), f(e.weights_gb_per_s), ""],
];
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`model ${e.model} (${e.weight_type}, ${(e.model_bytes / 1e9).toFixed(2)} GB), ${e.threads} threads, p=${e.p} n=${e.n} r=${e.r}`);
console.log(`llama.cpp: ${l.backend}; ${l.threads} threads, flash attention ${l.flash_attention}`);
console.log(`edgeai: ${e.backend}, Java ${e.jvm}; memory bandwidth ${f(e.memory_bandwidth_gb_per_s, 1)} GB/s (${e.memory_bandwidth_source})`);
for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  "));
EOF
echo "(raw results: $BASE-llamacpp.json, $BASE-edgeai.json)"
