#!/usr/bin/env bash
# History benchmarks: builds the release binaries, runs history_bench (write
# and search latency, bare-SQLite baseline, size per entry, zsh import), then
# compares whole processes on the largest database: `cmdai search` (default
# hybrid mode, and --mode lexical, which is history search alone) against
# the same FTS5 query through the sqlite3 CLI, and against grep over the
# exported text history (what people do instead).
#
#   bench/history_bench.sh [--sizes 10000,100000,1000000] [--budget SECONDS]
#
# The databases are generated once into $CMDAI_HISTORY_BENCH_CACHE
# (default /tmp/cmdai-history-bench) and reused by later runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/build-env"
cache="${CMDAI_HISTORY_BENCH_CACHE:-/tmp/cmdai-history-bench}"
mkdir -p "$cache"

cmake --preset release >/dev/null
cmake --build build/release --target cmdai history_bench -j2 >/dev/null
./build/release/bench/history_bench --cache "$cache" "$@" | tee "$cache/results.txt"

size=$(ls "$cache"/history-*.db | sed 's/.*history-\([0-9]*\)\.db/\1/' | sort -n | tail -1)
db="$cache/history-$size.db"
text="$cache/history-$size.txt"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
ln -s "$db" "$home/history.db"
runs=15

# p50 in microseconds of running "$@" $runs times.
p50() {
  local samples=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    samples+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

fts_query() {  # the words as cmdai's MATCH expression: each a quoted prefix term
  local out=""
  for word in $1; do out="$out${out:+ AND }\"$word\"*"; done
  printf '%s' "$out"
}

echo "process-level, $size entries ($runs runs each, p50 in us):"
for query in "nginx" "docker logs" "kubectl apply" "git" "rsync"; do
  sql="SELECT h.id, h.command FROM command_history_fts JOIN command_history h ON h.rowid = command_history_fts.rowid WHERE command_history_fts MATCH '$(fts_query "$query")' ORDER BY bm25(command_history_fts) LIMIT 10;"
  ours=$(p50 env CMDAI_HOME="$home" ./build/release/cmdai search $query --json)
  lexical=$(p50 env CMDAI_HOME="$home" ./build/release/cmdai search $query --mode lexical --json)
  sqlite=$(p50 sqlite3 "$db" "$sql")
  greps=$(p50 sh -c "grep -i -F -- '$query' '$text' | tail -n 10")
  printf '  %-14s cmdai %8s  lexical %8s  sqlite3 %8s  grep %8s  cmdai/sqlite3 %.2f  cmdai/grep %.2f  lexical/sqlite3 %.2f  lexical/grep %.2f\n' \
    "$query" "$ours" "$lexical" "$sqlite" "$greps" "$(echo "$ours / $sqlite" | bc -l)" "$(echo "$ours / $greps" | bc -l)" \
    "$(echo "$lexical / $sqlite" | bc -l)" "$(echo "$lexical / $greps" | bc -l)"
  echo "RESULT process_cmdai_lexical_p50_us_${query// /_} $lexical" >>"$cache/results.txt"
  echo "RESULT process_cmdai_p50_us_${query// /_} $ours" >>"$cache/results.txt"
  echo "RESULT process_sqlite3_p50_us_${query// /_} $sqlite" >>"$cache/results.txt"
  echo "RESULT process_grep_p50_us_${query// /_} $greps" >>"$cache/results.txt"
done
