#!/usr/bin/env bash
# Start-up time of cmdai's cheapest commands, and of a whole offline request
# (rules backend: generate, validate, record in history), on a warm file cache, against
# baselines run in the same session: /bin/true (process start), `sqlite3
# --version` (a small C tool linked against the same SQLite) and the sqlite3
# CLI opening the same history database. scripts/cmdai --version, reached
# through a symlink, shows what the wrapper adds. Targets: --version at most
# 1.5x and history list at most 2.5x `sqlite3 --version`.
#
#   bench/startup.sh [RUNS]     (default 200 rounds; needs python3)
#   CMDAI_COMPARE_BINARY=OLD bench/startup.sh   (also times another build)
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

# Every round runs each command once, in a new random order, so all of them
# see the same machine state: hyperfine's back-to-back blocks of one command
# let a busy machine's load move between blocks (once --version came out 3 ms
# slower than --help, which does the same and prints more).
python3 - "$runs" "$binary" "$home" "${CMDAI_COMPARE_BINARY:-}" <<'PY'
import os, random, statistics, sys, time
runs, binary, home, compare = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
commands = [
    ("true", ["/bin/true"]),
    ("sqlite3-version", ["sqlite3", "--version"]),
    ("sqlite3", ["sqlite3", f"{home}/history.db", "SELECT count(*) FROM command_history"]),
    ("version", [binary, "--version"]),
    ("wrapper-version", [f"{home}/bin/cmdai", "--version"]),
    ("help", [binary, "--help"]),
    ("history-list", [binary, "history", "list"]),
    ("generate", [binary, "--no-stream", "show git status"]),
]
# generate writes an entry each time: into a database of its own, so the one
# history list and sqlite3 read stays as it was.
writer_env = dict(os.environ, CMDAI_HOME=os.path.join(home, "generate"))
if compare:  # CMDAI_COMPARE_BINARY: another build, timed in the same rounds
    commands += [("other-version", [compare, "--version"]), ("other-help", [compare, "--help"]),
                 ("other-history", [compare, "history", "list"])]
null = os.open(os.devnull, os.O_RDWR)


def run(argv):
    env = writer_env if argv[1:2] == ["--no-stream"] else os.environ
    start = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, env,
                          file_actions=[(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
                                        (os.POSIX_SPAWN_DUP2, null, 2)])
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} exited {os.waitstatus_to_exitcode(status)}")
    return (time.perf_counter_ns() - start) / 1e9


for _ in range(20):
    for _, argv in commands: run(argv)
by = {name: [] for name, _ in commands}
for _ in range(runs):
    order = list(commands)
    random.shuffle(order)
    for name, argv in order: by[name].append(run(argv))
def p(ts, q): ts = sorted(ts); return ts[min(len(ts) - 1, int(q * len(ts)))] * 1000
base = statistics.median(by["true"]) * 1000
sql = statistics.median(by["sqlite3-version"]) * 1000
print(f"{'command':<16}{'median ms':>10}{'p95 ms':>9}{'vs true':>9}{'vs sqlite3 --version':>22}")
for name, ts in by.items():
    med = statistics.median(ts) * 1000
    print(f"{name:<16}{med:>10.2f}{p(ts, .95):>9.2f}{med / base:>8.1f}x{med / sql:>21.2f}x")
wrapper = statistics.median(by["wrapper-version"]) - statistics.median(by["version"])
print(f"scripts/cmdai adds {wrapper * 1000:.2f} ms; targets: version <= 1.5x, history-list <= 2.5x sqlite3 --version")
PY
