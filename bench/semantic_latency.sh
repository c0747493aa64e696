#!/usr/bin/env bash
# Whole-process `cmdai search` with a local embedding model: semantic
# against lexical, the two modes taking turns in one run. The history holds
# SIZE generated entries (bench/history_corpus.py), indexed with the tests'
# tiny BERT model (a real GGUF with a real tokenizer and random weights: the
# cost of loading and running a model, not the quality of its answers).
#   repeated: the same query every run (its vector comes from the cache)
#   new:      a query never asked before in every run (the model loads)
# Target: semantic at most 3x lexical.
#
#   bench/semantic_latency.sh [SIZE] [RUNS]   (default 20000 entries, 20 runs)
# Needs the dev build's tiny model (cmake --build --preset dev) and the
# release binary (CMDAI_BINARY=... for another build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="${1:-20000}"
runs="${2:-20}"
binary="${CMDAI_BINARY:-$root/build/release/cmdai}"
model="$root/build/dev/tests/tiny-models/bert.gguf"
[ -x "$binary" ] || { echo "build the release binary first: cmake --build --preset release" >&2; exit 1; }
[ -f "$model" ] || { echo "no tiny model at $model: cmake --build --preset dev first" >&2; exit 1; }

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CMDAI_HOME="$home" CMDAI_EMBEDDING_MODEL="$model" NO_COLOR=1
python3 "$root/bench/history_corpus.py" "$size" >"$home/entries.jsonl"
"$binary" history import --format jsonl "$home/entries.jsonl" >/dev/null
"$binary" history reindex >/dev/null

python3 - "$binary" "$runs" <<'PY'
import statistics, subprocess, sys, time
binary, runs = sys.argv[1], int(sys.argv[2])
def timed(mode, query):
    start = time.perf_counter()
    subprocess.run([binary, "search", query, "--mode", mode, "--json"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000
times = {}
for i in range(runs + 3):
    for case, query in (("repeated", "restart the web server"), ("new", f"restart the web server {i}")):
        for mode in ("lexical", "semantic"):
            t = timed(mode, query)
            if i >= 3:  # the first rounds warm the page cache
                times.setdefault((case, mode), []).append(t)
def p(ts, q): return sorted(ts)[min(len(ts) - 1, int(q * len(ts)))]
print(f"{'query':<10}{'mode':<10}{'p50 ms':>9}{'p95 ms':>9}")
for (case, mode), ts in times.items():
    print(f"{case:<10}{mode:<10}{statistics.median(ts):>9.1f}{p(ts, .95):>9.1f}")
for case in ("repeated", "new"):
    lex, sem = (statistics.median(times[(case, m)]) for m in ("lexical", "semantic"))
    print(f"{case}: semantic / lexical p50 {sem / lex:.2f} (target <= 3)")
PY
