#!/usr/bin/env bash
# Import rate and whole-process search against grep, at one size:
#   1. generates N history entries as JSONL (default 1,000,000: commands,
#      directories, shells, exit statuses and times spread over two years),
#   2. times `cmdai history import` of them (in parts of 200,000: a file
#      is capped at 64 MiB) into an empty history and reports entries/s
#      (every entry redacted, rated by the validator and indexed),
#   3. for each filter (broad terms, a time window, a directory, an exit
#      status, a shell) runs `cmdai search` and grep over the exported
#      entries (what people do instead) RUNS times each, in this one run,
#      and prints both p95s and their ratio.
#
#   bench/history_import_bench.sh [N] [RUNS]
#
# Uses the release build (CMDAI_BENCH_BINARY to point at another cmdai).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-1000000}"
runs="${2:-20}"
binary="${CMDAI_BENCH_BINARY:-}"
if [ -z "$binary" ]; then
  source "$root/scripts/lib/build-env"
  cmake --preset release >/dev/null
  cmake --build build/release --target cmdai -j2 >/dev/null
  binary="$root/build/release/cmdai"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CMDAI_HOME="$work/home" NO_COLOR=1

python3 "$root/bench/history_corpus.py" "$count" >"$work/entries.jsonl"

# Files are capped at 64 MiB: a million JSONL entries go in parts of 200,000.
split -l 200000 -d "$work/entries.jsonl" "$work/part-"
start=$(date +%s%N)
for part in "$work"/part-*; do "$binary" history import --format jsonl "$part" >>"$work/import.txt"; done
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
echo "import: $count entries in $ms ms = $((count * 1000 / (ms > 0 ? ms : 1))) entries/s ($(tr '\n' ' ' <"$work/import.txt"))"

"$binary" history export --format jsonl >"$work/export.jsonl"

# p95 in microseconds of running "$@" $runs times.
p95() {
  local samples=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    samples+=($(((e - s) / 1000)))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.95+0.5); if (i<1) i=1; print a[i]}'
}

# filter name | cmdai search arguments | grep pipeline over the export (same question)
filters=(
  "broad terms|git --mode lexical|grep -F '\"command\":\"git' '$work/export.jsonl' | tail -n 10"
  "time window|nginx --since 2025-06-01 --before 2025-07-01|grep -F 'nginx' '$work/export.jsonl' | grep -F '\"timestamp\":\"2025-06' | tail -n 10"
  "directory|docker --cwd /srv/www|grep -F 'docker' '$work/export.jsonl' | grep -F '\"working_directory\":\"/srv/www\"' | tail -n 10"
  "exit status|make --exit nonzero|grep -F 'make' '$work/export.jsonl' | grep -v '\"exit_code\":0' | tail -n 10"
  "shell|cargo --shell fish|grep -F 'cargo' '$work/export.jsonl' | grep -F '\"shell_type\":\"fish\"' | tail -n 10"
)
printf '%-12s %12s %12s %8s\n' "filter" "cmdai p95 us" "grep p95 us" "ratio"
for row in "${filters[@]}"; do
  IFS='|' read -r name args pipeline <<<"$row"
  # shellcheck disable=SC2086
  ours=$(p95 "$binary" search $args --json)
  theirs=$(p95 sh -c "$pipeline")
  printf '%-12s %12s %12s %8.2f\n' "$name" "$ours" "$theirs" "$(echo "$ours / $theirs" | bc -l)"
done
