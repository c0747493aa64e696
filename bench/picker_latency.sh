#!/usr/bin/env bash
# Keystroke-to-redraw latency of the history picker (`cmdai pick`, Ctrl-R)
# on a real terminal (tmux) over a history of N entries (default 1,000,000,
# bench/history_corpus.py, imported with `cmdai history import`). Each key
# is sent on its own and timed until the screen shows its effect: the query
# line with the typed text (the rows come in the same write), the next
# filter mode (Ctrl-R), the moved selection (Down). A baseline measured in
# the same run - a shell's `read` echoing the same keys in the same
# terminal - is what tmux, the pty and capture-pane cost alone. Prints p50
# and p95 of both, and the picker's own handle+search+redraw times (its log):
# for every key, and for the keys that searched by the search that answered
# them (the newest matches, or the full search a typo, a phrase of words
# from different commands or an older word falls back to; the fallback
# queries below are typed for those). Last, a fresh picker types only the
# fallback queries, forward (each erased by Ctrl-U), and its own times are
# printed the same way: the keys that pay for its searches' first uses.
#
#   bench/picker_latency.sh [N] [path/to/cmdai]   (default: release build, else dev)
#
# PICKER_BENCH_HOME=DIR keeps the imported history in DIR and reuses it
# when it already holds N entries (importing a million takes minutes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-1000000}"
bin="${2:-}"
if [ -z "$bin" ]; then
  bin="$root/build/release/cmdai"
  [ -x "$bin" ] || bin="$root/build/dev/cmdai"
fi
bin="$(realpath "$bin")"
work="$(mktemp -d)"
home="${PICKER_BENCH_HOME:-$work/home}"
socket="cmdai-bench-picker-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
export CMDAI_HOME="$home" NO_COLOR=1 LC_ALL=C.UTF-8
mkdir -p "$home"

have="$("$bin" history stats --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total", 0))' 2>/dev/null || echo 0)"
if [ "$have" != "$count" ]; then
  rm -f "$home"/history.db*
  python3 "$root/bench/history_corpus.py" "$count" >"$work/entries.jsonl"
  split -l 200000 -d "$work/entries.jsonl" "$work/part-"
  start=$(date +%s%N)
  for part in "$work"/part-*; do "$bin" history import --format jsonl "$part" >/dev/null; done
  end=$(date +%s%N)
  echo "imported $count entries in $(((end - start) / 1000000)) ms"
  rm -f "$work"/part-* "$work/entries.jsonl"
fi

screen() { tmux -L "$socket" capture-pane -p; }
wait_for() { until screen | grep -qF -- "$1"; do :; done; }
# The first screen line is this text (trailing spaces are not captured)
# and the cursor stands right after it.
wait_query() {
  local pattern want=${#1}
  pattern="^$(printf '%s' "$1" | sed 's/ *$//; s/[][\.*^$()+?{}|/]/\\&/g')( |\$)"
  until [ "$(tmux -L "$socket" display -p '#{cursor_x}')" = "$want" ] &&
    screen | head -n 1 | grep -qE "$pattern"; do :; done
}

# Sends one key (tmux key name, or -l TEXT) and waits for the check; prints microseconds.
timed() {
  local check="$1" start now
  shift
  start=$EPOCHREALTIME
  tmux -L "$socket" send-keys "$@"
  eval "$check"
  now=$EPOCHREALTIME
  echo $(( ${now/./} - ${start/./} ))
}

summary() {  # p50, p95 and max of the microseconds on stdin, in ms
  sort -n | awk '{ v[NR] = $1 } END {
    printf "p50 %.2f ms  p95 %.2f ms  max %.2f ms  (n=%d)", v[int(0.50 * (NR - 1)) + 1] / 1000,
      v[int(0.95 * (NR - 1)) + 1] / 1000, v[NR] / 1000, NR }'
}

queries=("git status" "docker logs" "systemctl restart" "kubectl get pods" "journalctl nginx" "tar czf site")
# Queries whose later keys the newest 20,000 entries cannot answer, so the
# picker asks its full search: typos (grpe, pyhton, systemclt), words of
# different commands (docker nginx, kubectl logs), a number only older
# entries hold (1002 in the corpus), a word no entry holds (zebra).
fallback_queries=("grpe" "docker nginx" "1002" "zebra" "pyhton" "kubectl logs" "systemclt")

# Types each query ($2..., default the literal ones) a key at a time (each
# timed until the query line shows it), then erases it with Backspace (each
# timed the same way).
type_queries() {
  local prompt="$1"
  shift
  local list=("$@")
  [ ${#list[@]} -gt 0 ] || list=("${queries[@]}")
  for query in "${list[@]}"; do
    local typed=""
    for ((i = 0; i < ${#query}; i++)); do
      typed+="${query:i:1}"
      timed "wait_query '$prompt$typed'" -l "${query:i:1}"
    done
    for ((i = ${#query} - 1; i >= 0; i--)); do
      typed="${query:0:i}"
      timed "wait_query '$prompt$typed'" BSpace
    done
  done
}

# Baseline: a shell's read prompt echoing the same keys ("> " like the picker's query line).
tmux -L "$socket" new-session -d -x 120 -y 40 "bash --norc -c 'read -e -p \"> \" line; sleep 600'"
until screen | grep -q '^>'; do :; done
baseline="$(type_queries "> " | summary)"
tmux -L "$socket" kill-server
socket="$socket-picker"

# The log keeps earlier runs' lines: a picker's line is the one after those
# counted before it starts.
log_lines() {
  local n
  n="$(grep -c "picker:" "$home/cmdai.log" 2>/dev/null)" || true
  echo "${n:-0}"
}
logged="$(log_lines)"
tmux -L "$socket" new-session -d -x 120 -y 40 "env CMDAI_HOME=$home NO_COLOR=1 $bin -v pick; sleep 600"
wait_for "[global]"
typing="$(type_queries "> " | summary)"
fallback_typing="$(type_queries "> " "${fallback_queries[@]}" | summary)"
# Filter modes: global -> this host -> this session -> this directory -> failed -> global, twice.
tmux -L "$socket" send-keys -l "git"
wait_query "> git"
modes=""
for mode in "this host" "this session" "this directory" "failed" "global" "this host" "this session" \
  "this directory" "failed" "global"; do
  modes+="$(timed "wait_for '[$mode]'" C-r)"$'\n'
done
# Selection moves: Down through the rows (the marker's line changes).
moves=""
for row in 2 3 4 5 6 7 8 9; do
  moves+="$(timed "until screen | sed -n '$((row + 1))p' | grep -q '^> '; do :; done" Down)"$'\n'
done
tmux -L "$socket" send-keys Escape
until [ "$(log_lines)" -gt "$logged" ]; do :; done
own="$(grep -o 'picker: .*' "$home/cmdai.log" | tail -1)"
tmux -L "$socket" kill-server

# A fresh picker typing the fallback queries forward at once (the first
# uses of its searches' memories), each erased with Ctrl-U (an empty query
# searches nothing).
socket="$socket-fresh"
logged="$(log_lines)"
tmux -L "$socket" new-session -d -x 120 -y 40 "env CMDAI_HOME=$home NO_COLOR=1 $bin -v pick; sleep 600"
wait_for "[global]"
fresh=""
for query in "${fallback_queries[@]}"; do
  typed=""
  for ((i = 0; i < ${#query}; i++)); do
    typed+="${query:i:1}"
    fresh+="$(timed "wait_query '> $typed'" -l "${query:i:1}")"$'\n'
  done
  tmux -L "$socket" send-keys C-u
  wait_query "> "
done
tmux -L "$socket" send-keys Escape
until [ "$(log_lines)" -gt "$logged" ]; do :; done
fresh_own="$(grep -o 'picker: .*' "$home/cmdai.log" | tail -1)"

rows="$("$bin" history stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total", "?"))')"
echo "binary:  $bin"
echo "history: $rows entries"
echo "baseline (terminal echo, same keys): $baseline"
echo "picker, typing and Backspace:        $typing"
echo "picker, the same for fallback keys:  $fallback_typing"
echo "picker, filter mode (^R):            $(printf '%s' "$modes" | summary)"
echo "picker, selection (Down):            $(printf '%s' "$moves" | summary)"
echo "fresh picker, fallback keys forward:  $(printf '%s' "$fresh" | summary)"
# The picker's log line: every key, then the keys that searched by the
# search that answered (newest matches, full search), when it says so.
own_times() {
  echo "$2 ${1%%; [0-9]* answered by*}"
  if [[ "$1" == *"answered by"* ]]; then
    echo "$1" | grep -o '[0-9]* answered by the [^;]*' | sed 's/^/  keys /'
  fi
}
own_times "$own" "picker's own handle+search+redraw:  "
own_times "$fresh_own" "fresh picker's own, forward keys:   "
