#!/usr/bin/env bash
# What finding local model servers costs a whole cmdai request, against the
# binary built from the commit before discovery, in the same run (the cases
# take turns, round by round):
#   fresh: `cmdai --no-stream 'show git status'` on a new CMDAI_HOME each
#          time, no model server running (discovery probes the four default
#          ports; closed loopback ports refuse at once)
#   warm:  the same request on a home that already answered it (the health
#          cache is fresh: nothing is probed)
# then the in-process figures (bench/discovery_bench.cpp).
#
#   bench/discovery_bench.sh [RUNS]        (default 300; needs python3)
#   BASELINE=main/cmdai NEW=this/cmdai bench/discovery_bench.sh [RUNS]
#   BASELINE=discover-off bench/discovery_bench.sh [RUNS]
#
# BASELINE=discover-off compares the binary with itself run with
# CMDAI_DISCOVER=false (backend.discover = false): what discovery alone adds.
#
# BASELINE=/path/to/cmdai compares with that binary; otherwise the commit
# BASELINE_REF (default: where this branch left main) is exported with
# `git archive` into build/discovery-baseline and built there (release).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-300}"
cd "$root"
source "$root/scripts/lib/build-env"

# NEW=/path/to/cmdai measures that binary (and BASELINE must be given too:
# compare builds of one kind, e.g. two dev builds); the in-process figures
# need the release build and are skipped then.
if [[ -z "${NEW:-}" ]]; then
  cmake --preset release >/dev/null
  cmake --build build/release --target cmdai discovery_bench -j2 >/dev/null
  new="$root/build/release/cmdai"
else
  new="$NEW"
  [[ -n "${BASELINE:-}" ]] || { echo "NEW needs BASELINE (a binary of the same build kind)" >&2; exit 1; }
fi

base_env=""
if [[ "${BASELINE:-}" == discover-off ]]; then
  BASELINE="$new"
  base_env="CMDAI_DISCOVER=false"
fi
if [[ -z "${BASELINE:-}" ]]; then
  ref="${BASELINE_REF:-$(git merge-base HEAD main)}"
  src="$root/build/discovery-baseline/src"
  if [[ "$(cat "$src/.ref" 2>/dev/null)" != "$ref" ]]; then
    rm -rf "$src" && mkdir -p "$src"
    git archive "$ref" | tar -x -C "$src"
    echo "$ref" >"$src/.ref"
  fi
  (cd "$src" && cmake --preset release >/dev/null && cmake --build build/release --target cmdai -j2 >/dev/null)
  BASELINE="$src/build/release/cmdai"
fi

for port in 11434 8080 1234 8000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: stop that server first (the benchmark measures a machine with none)" >&2
    exit 1
  fi
done
unset OLLAMA_HOST CMDAI_DISCOVER_PORTS

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for name in base new; do
  printf '#!/bin/sh\nrm -rf %s/%s-fresh && mkdir %s/%s-fresh\n' "$work" "$name" "$work" "$name" >"$work/reset-$name"
  chmod +x "$work/reset-$name"
  mkdir -p "$work/$name-warm"
done
for i in $(seq 1 20); do
  env $base_env CMDAI_HOME="$work/base-warm" NO_COLOR=1 "$BASELINE" --no-stream 'show git status' >/dev/null
  env CMDAI_HOME="$work/new-warm" NO_COLOR=1 "$new" --no-stream 'show git status' >/dev/null
done

# The four cases take turns in every round (in a shuffled order), so a
# change in the machine's load reaches each of them alike.
python3 - "$runs" "$work" "$BASELINE" "$new" "$base_env" <<'PY'
import os, random, shutil, statistics, subprocess, sys, time
runs, work, base, new, base_env = int(sys.argv[1]), *sys.argv[2:]
env = dict(os.environ, NO_COLOR="1")
base_extra = dict([base_env.split("=", 1)]) if base_env else {}
cases = {
    "fresh-base": (base, "base-fresh", base_extra, True),
    "fresh-new": (new, "new-fresh", {}, True),
    "warm-base": (base, "base-warm", base_extra, False),
    "warm-new": (new, "new-warm", {}, False),
}
times = {name: [] for name in cases}
for round_ in range(runs + 10):
    order = list(cases)
    random.shuffle(order)
    for name in order:
        binary, home, extra, fresh = cases[name]
        home = os.path.join(work, home)
        if fresh:
            shutil.rmtree(home, ignore_errors=True)
            os.mkdir(home)
        start = time.perf_counter()
        subprocess.run([binary, "--no-stream", "show git status"], env=dict(env, CMDAI_HOME=home, **extra),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if round_ >= 10:  # the first rounds warm the page cache
            times[name].append(time.perf_counter() - start)
def p(ts, q):
    ts = sorted(ts)
    return ts[min(len(ts) - 1, int(q * len(ts)))] * 1000
print(f"{'request':<12}{'median ms':>10}{'p95 ms':>9}")
for name, ts in times.items():
    print(f"{name:<12}{statistics.median(ts) * 1000:>10.3f}{p(ts, .95):>9.3f}")
for case in ("fresh", "warm"):
    b, n = (statistics.median(times[f"{case}-{w}"]) * 1000 for w in ("base", "new"))
    print(f"{case}: {n - b:+.3f} ms over the baseline (ratio {n / b:.3f})")
PY

[[ -x ./build/release/bench/discovery_bench && -z "${NEW:-}" ]] || exit 0
./build/release/bench/discovery_bench --benchmark_format=json --benchmark_out="$work/inprocess.json" \
  --benchmark_out_format=json >/dev/null
python3 - "$work/inprocess.json" <<'PY'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
for name, b in runs.items():
    print(f"{name:<32}{b['real_time']:>10.2f} {b['time_unit']}")
base, warm = runs["BM_Routing/warm:0"]["real_time"], runs["BM_Routing/warm:1"]["real_time"]
print(f"warm cache: discovery adds {warm - base:.2f} us to routing a request (ratio {warm / base:.2f})")
PY
