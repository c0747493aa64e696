#!/usr/bin/env bash
# Start-up time of cmdai's cheapest commands, and of a whole offline request
# (rules backend: generate, validate, record in history), on a warm file cache, against
# baselines run in the same session: /bin/true (process start), `sqlite3
# --version` (a small C tool linked against the same SQLite) and the sqlite3
# CLI opening the same history database. scripts/cmdai --version, reached
# through a symlink, shows what the wrapper adds. Targets: --version at most
# 1.5x and history list at most 2.5x `sqlite3 --version`.
#
#   bench/startup.sh [RUNS]     (default 200; needs hyperfine and python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-200}"
binary="${CMDAI_BINARY:-$root/build/release/cmdai}"  # CMDAI_BINARY: another build to compare
[ -x "$binary" ] || { echo "build the release binary first: scripts/cmdai --version" >&2; exit 1; }

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CMDAI_HOME="$home" NO_COLOR=1
for i in $(seq 1 50); do "$binary" --no-stream "show git status" >/dev/null; done
# The wrapper in a checkout layout of its own whose build is current, reached
# through a symlink as on a PATH.
mkdir -p "$home/checkout/scripts" "$home/checkout/.git" "$home/checkout/build/release" "$home/bin"
cp "$root/scripts/cmdai" "$home/checkout/scripts/cmdai"
touch "$home/checkout/.git/HEAD" "$home/checkout/.git/index"
sleep 0.01
cp "$binary" "$home/checkout/build/release/cmdai"
ln -s "$home/checkout/scripts/cmdai" "$home/bin/cmdai"

out="$home/startup.json"
hyperfine -N --warmup 20 --runs "$runs" --export-json "$out" \
  -n true "/bin/true" \
  -n sqlite3-version "sqlite3 --version" \
  -n sqlite3 "sqlite3 $home/history.db 'SELECT count(*) FROM command_history'" \
  -n version "$binary --version" \
  -n wrapper-version "$home/bin/cmdai --version" \
  -n help "$binary --help" \
  -n history-list "$binary history list" \
  -n generate "$binary --no-stream 'show git status'" >/dev/null 2>&1

python3 - "$out" <<'PY'
import json, sys, statistics
results = json.load(open(sys.argv[1]))["results"]
by = {r["command"]: sorted(r["times"]) for r in results}
def p(ts, q): return ts[min(len(ts) - 1, int(q * len(ts)))] * 1000
base = statistics.median(by["true"]) * 1000
sql = statistics.median(by["sqlite3-version"]) * 1000
print(f"{'command':<16}{'median ms':>10}{'p95 ms':>9}{'vs true':>9}{'vs sqlite3 --version':>22}")
for name, ts in by.items():
    med = statistics.median(ts) * 1000
    print(f"{name:<16}{med:>10.2f}{p(ts, .95):>9.2f}{med / base:>8.1f}x{med / sql:>21.2f}x")
wrapper = statistics.median(by["wrapper-version"]) - statistics.median(by["version"])
print(f"scripts/cmdai adds {wrapper * 1000:.2f} ms; targets: version <= 1.5x, history-list <= 2.5x sqlite3 --version")
PY
