#!/usr/bin/env bash
# Keystroke-to-redraw latency of `cmdai config edit` on a real terminal
# (tmux), against a baseline measured in the same run: the same terminal
# echoing the same keys at a shell's `read` prompt, which costs tmux, the pty
# and capture-pane alone. Each key is sent on its own and timed until the
# screen shows it. Also prints the editor's own handle+redraw times (its log).
#
#   bench/tui_latency.sh [path/to/cmdai]     (default: release build, else dev)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-}"
if [ -z "$bin" ]; then
  bin="$root/build/release/cmdai"
  [ -x "$bin" ] || bin="$root/build/dev/cmdai"
fi
home="$(mktemp -d)"
socket="cmdai-bench-tui-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$home"' EXIT
text="http://127.0.0.1:11434/v1/latency-probe"
export LC_ALL=C.UTF-8  # ${text:i:1} takes whole characters of the UTF-8 text below

# Sends text one key at a time; after each, polls until the screen shows the
# typed prefix. Prints one latency in microseconds per key.
measure() {
  local typed="" start now
  for ((i = 0; i < ${#text}; i++)); do
    local key="${text:i:1}"
    typed+="$key"
    start=$EPOCHREALTIME
    tmux -L "$socket" send-keys -l "$key"
    until tmux -L "$socket" capture-pane -p | grep -qF -- "$typed"; do :; done
    now=$EPOCHREALTIME
    echo $(( (${now/./} - ${start/./}) ))
  done
}

summary() {  # median and max of the numbers on stdin, in ms
  sort -n | awk '{ v[NR] = $1 } END { printf "median %.2f ms  max %.2f ms  (n=%d)", v[int((NR + 1) / 2)] / 1000, v[NR] / 1000, NR }'
}

wait_for() { until tmux -L "$socket" capture-pane -p | grep -qF -- "$1"; do :; done; }

# Baseline: a shell prompt whose terminal echoes what is typed.
tmux -L "$socket" new-session -d -x 80 -y 24 "printf 'ready\n'; read -r line; sleep 600"
wait_for "ready"
baseline="$(measure | summary)"
tmux -L "$socket" kill-server
socket="$socket-editor"  # a fresh server: the old socket may still be closing

# The editor: focus the endpoint field, then type into it.
tmux -L "$socket" new-session -d -x 80 -y 24 \
  "env CMDAI_HOME=$home NO_COLOR=1 $bin -v config edit; sleep 600"
wait_for "preferred backend"
tmux -L "$socket" send-keys Tab Tab Tab Tab
editor="$(measure | summary)"
# Multi-byte text in the model field (the next row).
tmux -L "$socket" send-keys Tab
text="modèle-日本語-über-файл"
text="$(printf "$text")"
editor_utf8="$(measure | summary)"
# Another process saves a change; the editor polls the file every 200 ms.
# Baseline: the same `config set` on its own.
start=$EPOCHREALTIME
CMDAI_HOME=$home NO_COLOR=1 "$bin" config set ui.verbosity verbose >/dev/null 2>&1
now=$EPOCHREALTIME
set_ms=$(awk -v d=$(( ${now/./} - ${start/./} )) 'BEGIN { printf "%.2f", d / 1000 }')
start=$EPOCHREALTIME
CMDAI_HOME=$home NO_COLOR=1 "$bin" config set ui.verbosity debug >/dev/null 2>&1
wait_for "changed elsewhere: ui.verbosity = debug"
now=$EPOCHREALTIME
seen_ms=$(awk -v d=$(( ${now/./} - ${start/./} )) 'BEGIN { printf "%.2f", d / 1000 }')
# Section switches rebuild the form: PgDn eight times, each timed to its title.
switches=""
for title in History Safety UI Backend History Safety UI Backend; do
  start=$EPOCHREALTIME
  tmux -L "$socket" send-keys NPage
  wait_for "cmdai configuration - $title"
  now=$EPOCHREALTIME
  switches+="$(( ${now/./} - ${start/./} ))"$'\n'
done
switch_summary="$(printf '%s' "$switches" | summary)"
# Save: temp file + fsync + rename, then the audit rows in SQLite.
start=$EPOCHREALTIME
tmux -L "$socket" send-keys F2
wait_for "saved $home/config.toml"
now=$EPOCHREALTIME
save_ms=$(awk -v d=$(( ${now/./} - ${start/./} )) 'BEGIN { printf "%.2f", d / 1000 }')
tmux -L "$socket" send-keys Escape
until grep -q "tui:" "$home/cmdai.log" 2>/dev/null; do :; done

b_median=$(sed 's/median \([0-9.]*\).*/\1/' <<<"$baseline")
e_median=$(sed 's/median \([0-9.]*\).*/\1/' <<<"$editor")
echo "binary:   $bin"
echo "baseline (terminal echo):      $baseline"
echo "cmdai config edit (typing):    $editor"
awk -v e="$e_median" -v b="$b_median" 'BEGIN { printf "ratio editor/baseline (median): %.2f; budget 100 ms\n", e / b }'
echo "typing UTF-8 (model field):    $editor_utf8"
echo "config set elsewhere -> shown:  $seen_ms ms (config set alone: $set_ms ms; the editor polls every 200 ms)"
echo "section switch (PgDn):          $switch_summary"
echo "save (F2 to 'saved' on screen): $save_ms ms"
echo "editor's own handle+redraw:    $(grep -o 'tui: .*' "$home/cmdai.log" | tail -1)"
