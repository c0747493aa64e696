#!/usr/bin/env bash
# Whole-process `cmdai search` with a local embedding model: semantic
# against lexical, every mode taking turns in one run. The history holds
# SIZE generated entries (bench/history_corpus.py), indexed with the tests'
# tiny BERT model (a real GGUF with a real tokenizer and random weights: the
# cost of loading and running a model, not the quality of its answers).
#   lexical:          --mode lexical, a query never asked before
#   repeated:         the same query every run (its vector comes from the cache)
#   new, agent:       a query never asked before, the embedding agent running
#                     (the model stays loaded in the agent)
#   new, no agent:    a query never asked before and no agent: the very first
#                     search, which loads the model itself and starts the agent
#                     (the agent is stopped and its socket removed before it)
#   new, agent off:   a query never asked before with search.embed_agent_idle = 0
#                     (the model loads in the search, no agent is started)
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
run_dir="$home/run"
mkdir -m 700 "$run_dir"
# The agent this run started (the pid in its lock file) ends with the run.
stop_agent() {
  local lock pid
  for lock in "$run_dir"/*.lock; do
    [ -e "$lock" ] || continue
    pid="$(cat "$lock" 2>/dev/null || true)"
    if [ -n "$pid" ] && ! flock -n "$lock" true; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap 'stop_agent; rm -rf "$home"' EXIT
export CMDAI_HOME="$home" CMDAI_EMBEDDING_MODEL="$model" NO_COLOR=1 XDG_RUNTIME_DIR="$run_dir"
export CMDAI_EMBED_AGENT_IDLE=600
python3 "$root/bench/history_corpus.py" "$size" >"$home/entries.jsonl"
"$binary" history import --format jsonl "$home/entries.jsonl" >/dev/null
CMDAI_EMBED_AGENT_IDLE=0 "$binary" history reindex >/dev/null

echo "load before: $(uptime)"
python3 - "$binary" "$runs" "$run_dir" <<'PY'
import fcntl, glob, os, signal, statistics, subprocess, sys, time
binary, runs, run_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def timed(mode, query, idle="600"):
    env = dict(os.environ, CMDAI_EMBED_AGENT_IDLE=idle)
    start = time.perf_counter()
    subprocess.run([binary, "search", query, "--mode", mode, "--json"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env)
    return (time.perf_counter() - start) * 1000

def agent_pid():
    for lock in glob.glob(os.path.join(run_dir, "*.lock")):
        with open(lock) as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(f, fcntl.LOCK_UN)
            except BlockingIOError:
                return int(f.read().strip() or 0)
    return None

def wait(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"gave up waiting for {what}")
        time.sleep(0.01)

def agent_ready():  # it binds its socket once the model is loaded
    return agent_pid() is not None and glob.glob(os.path.join(run_dir, "*.sock"))

def stop_agent():
    pid = agent_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        wait(lambda: agent_pid() is None, "the agent to exit")
    for path in glob.glob(os.path.join(run_dir, "*.sock")):
        os.unlink(path)

cases = ("lexical", "repeated", "new, agent", "new, no agent", "new, agent off")
times = {case: [] for case in cases}
timed("semantic", "restart the web server")  # starts the agent
wait(agent_ready, "the first agent")
for i in range(runs + 3):
    round_times = {
        "lexical": timed("lexical", f"restart the web server {i}"),
        "repeated": timed("semantic", "restart the web server"),
        "new, agent": timed("semantic", f"restart the web server a{i}"),
    }
    stop_agent()
    round_times["new, no agent"] = timed("semantic", f"restart the web server n{i}")
    wait(agent_ready, "the agent the first search started")
    round_times["new, agent off"] = timed("semantic", f"restart the web server o{i}", idle="0")
    if i >= 3:  # the first rounds warm the page cache
        for case, t in round_times.items():
            times[case].append(t)
def p(ts, q): return sorted(ts)[min(len(ts) - 1, int(q * len(ts)))]
lexical = statistics.median(times["lexical"])
print(f"{'query':<16}{'p50 ms':>9}{'p95 ms':>9}{'p50 / lexical':>15}")
for case in cases:
    ts = times[case]
    print(f"{case:<16}{statistics.median(ts):>9.1f}{p(ts, .95):>9.1f}{statistics.median(ts) / lexical:>15.2f}")
print("target: semantic p50 <= 3x lexical")
PY
echo "load after: $(uptime)"
