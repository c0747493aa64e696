#!/usr/bin/env bash
# Model backend benchmarks on the tiny random-weight qwen2 model (made by the
# test tool, nothing downloaded), all against llama.cpp on the same file and
# thread count, measured in the same run:
#
#  1. decode throughput of the llama backend (grammar-constrained sampling,
#     detokenization, token callback included) against
#       a. llama.cpp alone in the same process (the loop llama-bench times:
#          one llama_decode per token at the same depth, same context
#          parameters), interleaved rounds, by wall clock and by CPU time;
#          and llama.cpp's own constrained generation (llama-cli's
#          common_sampler with the same grammar, top-k and temperature);
#       b. llama-bench itself (-p 0 -n N -d DEPTH, same -t/-b/-ub), one
#          llama-bench run and one fresh llm_decode_bench process per round,
#          interleaved;
#  2. time to first token (warm) and model load time, fresh processes;
#  3. chunk -> PartialResult latency and first-event latency through a
#     timing proxy in front of a real llama-server;
#  4. Ctrl-C -> exit 130 of the release cmdai while it decodes in process.
#
#   bench/llm_bench.sh [--threads N] [--rounds N]
#
# Medians over rounds; the machine is shared, so CPU-time ratios (1a) are
# the stable figure and wall-clock ratios show the spread.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/build-env"
threads=1
rounds=15
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: bench/llm_bench.sh [--threads N] [--rounds N]" >&2; exit 2 ;;
  esac
done

llama_bin="$(cat "$HOME/.cache/cmdai-deps/llama-current")/build/bin"
[ -x "$llama_bin/llama-bench" ] || { echo "llm_bench: no llama-bench in $llama_bin (run scripts/setup)" >&2; exit 1; }
cmake --preset release >/dev/null
cmake --build build/release --target cmdai llm_decode_bench llm_stream_bench -j2 >/dev/null
cmake --preset dev >/dev/null
cmake --build build/dev --target make_tiny_model -j2 >/dev/null
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
model="$work/chat.gguf"
./build/dev/tests/make_tiny_model chat "$model" >/dev/null
decode=./build/release/bench/llm_decode_bench

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
field() { python3 -c 'import sys,json; k=sys.argv[1]
for l in sys.stdin:
  d=json.loads(l)
  if k in d: print(d[k])' "$1"; }
kind() { python3 -c 'import sys,json; k=sys.argv[1]
for l in sys.stdin:
  d=json.loads(l)
  if d.get("kind")==k: print(l.strip())' "$1"; }
ratios() {  # ratios of field $3 of kind $1 over kind $2, round by round
  python3 -c 'import sys,json; a,b,f=sys.argv[1:4]; r={}
for l in sys.stdin:
  d=json.loads(l); r.setdefault(d["kind"],[]).append(d[f])
for x,y in zip(r[a],r[b]): print(x/y)' "$1" "$2" "$3"; }

echo "== llm_bench: tiny qwen2 model $(du -h "$model" | cut -f1), $threads thread(s), $rounds rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1a. In-process, interleaved.
"$decode" decode "$model" "$threads" "$rounds" >"$work/decode.jsonl"
tokens=$(kind raw <"$work/decode.jsonl" | field tokens | awk "NR==1")
depth=$(kind raw <"$work/decode.jsonl" | field depth | awk "NR==1")
printf 'decode, in process (%s tokens after a %s-token prompt):\n' "$tokens" "$depth"
kinds="ours raw free"
kind cli <"$work/decode.jsonl" | grep -q . && kinds="$kinds cli"
for k in $kinds; do
  printf '  %-5s %7.0f tok/s wall  %7.0f tok/s cpu\n' "$k" \
    "$(kind $k <"$work/decode.jsonl" | field tok_s | median)" "$(kind $k <"$work/decode.jsonl" | field cpu_tok_s | median)"
done
printf '  ours/raw: %.3f by cpu time, %.3f by wall clock (median of round ratios)\n' \
  "$(ratios ours raw cpu_tok_s <"$work/decode.jsonl" | median)" "$(ratios ours raw tok_s <"$work/decode.jsonl" | median)"
printf '  free/raw: %.3f by cpu time (sampling without the grammar)\n' "$(ratios free raw cpu_tok_s <"$work/decode.jsonl" | median)"
if [[ $kinds == *cli* ]]; then
  printf '  ours/cli: %.2f by cpu time (llama.cpp sampling under the same grammar, as llama-cli does)\n' \
    "$(ratios ours cli cpu_tok_s <"$work/decode.jsonl" | median)"
fi

# 1b. Against llama-bench, interleaved process by process.
: >"$work/vs_bench.txt"
for _ in $(seq "$rounds"); do
  theirs=$("$llama_bin/llama-bench" -m "$model" -t "$threads" -p 0 -n "$tokens" -d "$depth" -b 2048 -ub 512 -r 1 -o jsonl \
    2>/dev/null | field avg_ts | tail -1)
  ours=$("$decode" decode "$model" "$threads" 1 | kind ours | field tok_s)
  echo "$ours $theirs" >>"$work/vs_bench.txt"
done
printf 'decode vs llama-bench -p 0 -n %s -d %s -t %s -b 2048 -ub 512 (wall clock):\n' "$tokens" "$depth" "$threads"
printf '  ours %.0f tok/s, llama-bench %.0f tok/s, ratio %.3f (median of %s interleaved pairs; range %s)\n' \
  "$(cut -d' ' -f1 "$work/vs_bench.txt" | median)" "$(cut -d' ' -f2 "$work/vs_bench.txt" | median)" \
  "$(awk '{print $1/$2}' "$work/vs_bench.txt" | median)" "$rounds" \
  "$(awk '{printf "%.2f\n", $1/$2}' "$work/vs_bench.txt" | sort -g | sed -n '1p;$p' | paste -sd-)"

# 2. TTFT and load time, fresh processes.
: >"$work/load.jsonl"
for _ in $(seq 5); do "$decode" load "$model" "$threads" >>"$work/load.jsonl"; done
printf 'model load %.0f ms, TTFT cold %.1f ms, warm %.1f ms (median of 5 processes)\n' \
  "$(field load_ms <"$work/load.jsonl" | median)" "$(field cold_ttft_ms <"$work/load.jsonl" | median)" \
  "$(field warm_ttft_ms <"$work/load.jsonl" | median)"
printf 'TTFT warm, in process: %.1f ms (median over rounds; prompt prefill + first sample)\n' \
  "$(kind ours <"$work/decode.jsonl" | field ttft_ms | median)"

# 3. Streaming overhead through llama-server.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$llama_bin/llama-server" -m "$model" --host 127.0.0.1 --port "$port" -c 2048 -np 1 -t "$threads" --no-webui \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
./build/release/bench/llm_stream_bench "http://127.0.0.1:$port" "$rounds" >"$work/stream.json"
python3 - "$work/stream.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"chunk -> PartialResult, wall clock: p50 {d['chunk_to_partial_p50_us']/1000:.3f} ms,"
      f" p90 {d['chunk_to_partial_p90_us']/1000:.3f} ms, p99 {d['chunk_to_partial_p99_us']/1000:.3f} ms,"
      f" max {d['chunk_to_partial_max_us']/1000:.3f} ms ({d['partials']} partials; includes waiting for a CPU)")
print(f"  worker CPU per PartialResult: p50 {d['cpu_per_partial_p50_us']/1000:.3f} ms,"
      f" p99 {d['cpu_per_partial_p99_us']/1000:.3f} ms (the work itself)")
print(f"first event after the request: p50 {d['first_event_p50_us']/1000:.3f} ms, max {d['first_event_max_us']/1000:.3f} ms;"
      f" first PartialResult p50 {d['first_partial_p50_ms']:.1f} ms (warm llama-server)")
EOF

# 4. Ctrl-C while decoding: SIGINT to cmdai's process group once it says "generating".
python3 - ./build/release/cmdai "$model" 10 <<'EOF'
import os, shutil, signal, statistics, subprocess, sys, tempfile, time
binary, model, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
latencies, codes = [], set()
for _ in range(runs):
    home = tempfile.mkdtemp()
    p = subprocess.Popen([binary, "--backend", "llama", "--model", model, "--no-fallback", "--stream", "list files"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                         env={"CMDAI_HOME": home, "PATH": "/usr/bin:/bin"})
    seen = b""
    while b"generating" not in seen:
        chunk = os.read(p.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    start = time.monotonic()
    os.killpg(p.pid, signal.SIGINT)
    p.wait()
    latencies.append((time.monotonic() - start) * 1000)
    codes.add(p.returncode)
    shutil.rmtree(home, ignore_errors=True)
print(f"Ctrl-C while decoding -> exit: p50 {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms,"
      f" exit codes {sorted(codes)} ({runs} runs)")
EOF
