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
#   new, new shell:   the agent stopped, then a shell session evaluates
#                     `cmdai init bash` and shows its prompt (whose hook
#                     starts the agent in the background when none listens)
#                     and, once the agent listens, a query never asked
#                     before: the first search a user makes after login, or
#                     after the agent idled out in a shell in use (the same
#                     hook at the next prompt) (n/a for a cmdai whose
#                     integration starts no agent)
# Target: semantic at most 3x lexical.
# Then the shell's start with the integration: `bash -i -c exit` reading an rc
# file that evaluates `cmdai init bash`, with search.embed_agent_idle = 0 (no
# agent hook) and 600 (the hook; an agent already running), and what the
# prompt hook costs a prompt while an agent listens: 2,000 calls of it in one
# bash, against as many calls of a function that does nothing.
#
#   bench/semantic_latency.sh [SIZE] [RUNS]   (default 20000 entries, 20 runs)
# Needs the dev build's tiny model (cmake --build --preset dev) and the
# release binary (CMDAI_BINARY=... for another build). With
# CMDAI_BASELINE=/path/to/another/cmdai both binaries take turns in every
# round and each row is printed for both ("base" and "this").
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
python3 - "$binary" "$runs" "$run_dir" "$home" "${CMDAI_BASELINE:-}" <<'PY'
import fcntl, glob, os, signal, statistics, subprocess, sys, time
binary, runs, run_dir, home, baseline = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
binaries = {"this": binary, **({"base": baseline} if baseline else {})}
DEVNULL = subprocess.DEVNULL

def timed(binary, mode, query, idle="600"):
    env = dict(os.environ, CMDAI_EMBED_AGENT_IDLE=idle)
    start = time.perf_counter()
    subprocess.run([binary, "search", query, "--mode", mode, "--json"], stdout=DEVNULL, stderr=DEVNULL, env=env)
    return (time.perf_counter() - start) * 1000

def new_shell(binary, idle="600"):  # a shell session starting: cmdai init's script, evaluated, and its first prompt
    env = dict(os.environ, CMDAI_EMBED_AGENT_IDLE=idle)
    first_prompt = 'eval "$PROMPT_COMMAND"'  # what bash runs before it shows a prompt
    subprocess.run(["bash", "-c", f'eval "$("{binary}" init bash)"; {first_prompt}'], stdin=DEVNULL, stdout=DEVNULL,
                   stderr=DEVNULL, env=env)

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

cases = ("lexical", "repeated", "new, agent", "new, no agent", "new, agent off", "new, new shell")
times = {(name, case): [] for name in binaries for case in cases}
timed(binary, "semantic", "restart the web server")  # starts the agent
wait(agent_ready, "the first agent")
for i in range(runs + 3):
    for name, cmdai in binaries.items():
        q = f"restart the web server {name}{i}"
        round_times = {
            "lexical": timed(cmdai, "lexical", q),
            "repeated": timed(cmdai, "semantic", "restart the web server"),
            "new, agent": timed(cmdai, "semantic", q + "a"),
        }
        stop_agent()
        round_times["new, no agent"] = timed(cmdai, "semantic", q + "n")
        wait(agent_ready, "the agent the first search started")
        round_times["new, agent off"] = timed(cmdai, "semantic", q + "o", idle="0")
        stop_agent()
        new_shell(cmdai)
        deadline = time.monotonic() + 5
        while not agent_ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        if agent_ready():
            round_times["new, new shell"] = timed(cmdai, "semantic", q + "s")
        else:  # this cmdai's init starts no agent: the search that finds none starts it
            timed(cmdai, "semantic", q + "s")
            wait(agent_ready, "the agent a search started")
        if i >= 3:  # the first rounds warm the page cache
            for case, t in round_times.items():
                times[(name, case)].append(t)
def p(ts, q): return sorted(ts)[min(len(ts) - 1, int(q * len(ts)))]
print(f"{'cmdai':<6}{'query':<16}{'p50 ms':>9}{'p95 ms':>9}{'p50 / lexical':>15}")
for case in cases:
    for name in binaries:
        ts = times[(name, case)]
        lexical = statistics.median(times[(name, "lexical")])
        if not ts:
            print(f"{name:<6}{case:<16}{'n/a':>9}")
            continue
        print(f"{name:<6}{case:<16}{statistics.median(ts):>9.1f}{p(ts, .95):>9.1f}{statistics.median(ts) / lexical:>15.2f}")

# The shell's start with the integration, every variant taking turns.
rc = os.path.join(home, "bashrc")
with open(rc, "w") as f:
    f.write('PS1="> "\neval "$("$CMDAI_UNDER_TEST" init bash)"\n')
def shell_start(cmdai, idle):
    env = dict(os.environ, CMDAI_EMBED_AGENT_IDLE=idle, CMDAI_UNDER_TEST=cmdai)
    start = time.perf_counter()
    subprocess.run(["bash", "--rcfile", rc, "-i", "-c", "exit"], stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL, env=env)
    return (time.perf_counter() - start) * 1000
starts = {(name, idle): [] for name in binaries for idle in ("0", "600")}
for i in range(4 * runs + 3):
    for (name, idle), ts in starts.items():
        t = shell_start(binaries[name], idle)
        if i >= 3:
            ts.append(t)
print(f"{'cmdai':<6}{'bash -i start, cmdai init':<34}{'p50 ms':>9}{'p95 ms':>9}")
for (name, idle), ts in starts.items():
    label = f"embed_agent_idle={idle}"
    print(f"{name:<6}{label:<34}{statistics.median(ts):>9.1f}{p(ts, .95):>9.1f}")

# The prompt hook with an agent listening: a file test and an empty write.
def hook_cost(cmdai):
    env = dict(os.environ, CMDAI_EMBED_AGENT_IDLE="600")
    script = ('eval "$("$1" init bash)"; type __cmdai_agent_warm >/dev/null 2>&1 || exit 3; '
              'nothing() { :; }; '
              's=$EPOCHREALTIME; for ((i = 0; i < 2000; i++)); do nothing; done; e=$EPOCHREALTIME; '
              'h=$EPOCHREALTIME; for ((i = 0; i < 2000; i++)); do __cmdai_agent_warm; done; f=$EPOCHREALTIME; '
              'echo "${s/[.,]/} ${e/[.,]/} ${h/[.,]/} ${f/[.,]/}"')
    r = subprocess.run(["bash", "-c", script, "bash", cmdai], stdin=DEVNULL, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return None
    s0, e0, h0, f0 = map(int, r.stdout.split())
    return (e0 - s0) / 2000, (f0 - h0) / 2000
print(f"{'cmdai':<6}{'prompt hook, agent listening':<34}{'us/call':>9}{'empty fn':>9}")
for name, cmdai in binaries.items():
    cost = hook_cost(cmdai)
    if cost is None:
        print(f"{name:<6}{'(no hook)':<34}{'n/a':>9}")
    else:
        print(f"{name:<6}{'__cmdai_agent_warm':<34}{cost[1]:>9.1f}{cost[0]:>9.1f}")
print("target: semantic p50 <= 3x lexical")
PY
echo "load after: $(uptime)"
