#!/usr/bin/env bash
# Whole-process latency of `cmdai guard claude-code` (read the hook event,
# rate the command, decide, record the decision in history.db, answer) over
# a few hundred commands of the safety corpus, measured side by side with
# `sqlite3 --version` in the same run: each command is timed once for each,
# alternating, so both see the same machine state. Also times the shell
# guard's check on Enter (`cmdai shell-guard`) for a safe command.
#
#   bench/guard_latency.sh [COMMANDS] [ROUNDS]   (default 300 commands, 3 rounds; needs python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${CMDAI_BENCH_BINARY:-$root/build/release/cmdai}"
[ -x "$binary" ] || { echo "build the release binary first: scripts/cmdai --version" >&2; exit 1; }
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CMDAI_HOME="$home" NO_COLOR=1

python3 - "$binary" "$root/tests/safety/corpus/corpus.tsv" "${1:-300}" "${2:-3}" "$home" <<'PY'
import json, os, statistics, sys, time
binary, corpus, count, rounds, home = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

rows = [l.rstrip("\n").split("\t") for l in open(corpus, encoding="utf-8", errors="surrogateescape")
        if l.strip() and not l.startswith("#")]
rows = [r for r in rows if len(r) == 4]
step = max(1, len(rows) // count)
sample = rows[::step][:count]
events = []
for i, (command, cwd, level, family) in enumerate(sample):
    path = os.path.join(home, f"event-{i}.json")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        json.dump({"session_id": "bench", "cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": "Bash",
                   "tool_input": {"command": command}}, f)
    events.append(path)

null = os.open(os.devnull, os.O_RDWR)

def run(argv, stdin_path=None):
    fd = os.open(stdin_path, os.O_RDONLY) if stdin_path else null
    actions = [(os.POSIX_SPAWN_DUP2, fd, 0), (os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter_ns() - start
    if stdin_path: os.close(fd)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 2): raise SystemExit(f"{argv} exited {code}")
    return elapsed / 1e6

sqlite = ["/usr/bin/sqlite3", "--version"]
guard = [binary, "guard", "claude-code"]
shell = [binary, "shell-guard", "--", "bash", "ls -la"]
for e in events[:20]: run(guard, e); run(sqlite)   # warm the file cache and the database
times = {"sqlite3 --version": [], "cmdai guard claude-code": [], "cmdai shell-guard (ls -la)": []}
for r in range(rounds):
    for i, e in enumerate(events):
        pair = [("sqlite3 --version", sqlite, None), ("cmdai guard claude-code", guard, e)]
        if (i + r) % 2: pair.reverse()
        for name, argv, stdin in pair: times[name].append(run(argv, stdin))
        if i % 3 == 0: times["cmdai shell-guard (ls -la)"].append(run(shell))

def pct(ts, q): ts = sorted(ts); return ts[min(len(ts) - 1, int(q * len(ts)))]
base = times["sqlite3 --version"]
print(f"{len(events)} corpus commands x {rounds} rounds; whole-process wall time (posix_spawn to exit)")
print(f"{'':<30}{'runs':>6}{'p50 ms':>9}{'p99 ms':>9}{'p50 x':>8}{'p99 x':>8}")
for name, ts in times.items():
    print(f"{name:<30}{len(ts):>6}{pct(ts,.5):>9.2f}{pct(ts,.99):>9.2f}"
          f"{pct(ts,.5)/pct(base,.5):>7.2f}x{pct(ts,.99)/pct(base,.99):>7.2f}x")
p99 = pct(times["cmdai guard claude-code"], .99) / pct(base, .99)
print(f"guard p99 / sqlite3 p99 = {p99:.2f} (budget 3.00): {'ok' if p99 <= 3 else 'OVER BUDGET'}")
PY
