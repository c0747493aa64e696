#!/usr/bin/env bash
# Team history benchmark: a local PostgreSQL server started here (initdb +
# pg_ctl in a temporary directory, unix socket only; as root the server
# runs as `postgres`), a synthetic history of SIZE entries (history_bench's
# corpus), then in one run:
#   - `cmdai team push` of every entry: rows per second, and the CPU time
#     (user + system) of cmdai and of the server's processes during it;
#   - whole-process `cmdai search --team QUERY` against the same size of
#     local SQLite history searched by `cmdai search QUERY --mode lexical`
#     (words, like the server): p50 and p95 of each, and their ratio.
#
#   - with TEAM_BENCH_VECTORS=1, search by meaning too: every entry embedded
#     here (`cmdai history reindex` with the built-in n-gram embedder, 384
#     dimensions, CMDAI_EMBEDDING_MODEL=builtin:ngram-test; kept in the
#     cached database), the vectors pushed by a second `cmdai team push`
#     (vectors per second into the server's HNSW index), then `search
#     --team --mode semantic` and `--mode hybrid` against the local `cmdai
#     search` in the same mode, p50, p95 and ratio.
#
#   bench/team_bench.sh [SIZE]        (default 1000000; TEAM_BENCH_RUNS=20 runs per query)
#
# TEAM_BENCH_RUNS=0 measures the push only. TEAM_BENCH_CMDAI=PATH measures
# that cmdai binary instead of this checkout's release build, which is then
# not rebuilt (to compare a kept baseline with a new build in one session).
#
# The local database is generated once into $CMDAI_TEAM_BENCH_CACHE
# (default /tmp/cmdai-team-bench) and reused; its push marks are cleared
# at the start of each run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/build-env"
size="${1:-1000000}"
cache="${CMDAI_TEAM_BENCH_CACHE:-/tmp/cmdai-team-bench}"
runs="${TEAM_BENCH_RUNS:-20}"
mkdir -p "$cache"

# TEAM_BENCH_BUILD=dev measures the ASan build as it is (not rebuilt; slower, both sides alike).
build="build/${TEAM_BENCH_BUILD:-release}"
if [ "${TEAM_BENCH_BUILD:-release}" = release ] && [ -z "${TEAM_BENCH_CMDAI:-}" ]; then
  cmake --preset release >/dev/null
  cmake --build "$build" --target cmdai history_bench -j2 >/dev/null
fi
cmdai="${TEAM_BENCH_CMDAI:-$root/$build/cmdai}"
db="$cache/history-$size.db"
[ -f "$db" ] || "$build/bench/history_bench" --cache "$cache" --sizes "$size" --only none

work="$(mktemp -d /tmp/cmdai-team-bench-run-XXXXXX)"
chmod 755 "$work"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_server=()
superuser="$(id -un)"
if [ "$(id -u)" = 0 ]; then
  as_server=(runuser -u postgres --)
  superuser=postgres
  chown postgres "$work"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as_server[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_server[@]}" "$pg_bin/initdb" -D "$work/data" -U "$superuser" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_server[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-k $work -p $port -c listen_addresses=''" start >/dev/null
"$pg_bin/psql" -q -h "$work" -p "$port" -U "$superuser" -d postgres -c "CREATE DATABASE cmdai_bench"
url="postgresql:///cmdai_bench?host=$work&port=$port&user=$superuser"

home="$work/home"
mkdir -p "$home"
ln -s "$db" "$home/history.db"
export CMDAI_HOME="$home" CMDAI_TEAM_URL="$url" CMDAI_DISCOVER_PORTS="ollama=0,llama-server=0,lmstudio=0,vllm=0"
"$cmdai" history stats >/dev/null  # migrates the cached database if needed
sqlite3 "$db" "DELETE FROM team_pushed; DELETE FROM team_push_state;"
vectors="${TEAM_BENCH_VECTORS:-0}"
if [ "$vectors" = 1 ]; then
  export CMDAI_EMBEDDING_MODEL=builtin:ngram-test
  # TEAM_BENCH_REINDEX=0 keeps the vectors the cached database has (a part
  # of its entries, from an interrupted reindex) instead of embedding the rest.
  if [ "${TEAM_BENCH_REINDEX:-1}" = 1 ] &&
    [ "$(sqlite3 "$db" "SELECT count(*) FROM command_history WHERE embedding_vector IS NULL")" != 0 ]; then
    start=$(date +%s%N)
    "$cmdai" history reindex >/dev/null
    echo "reindex (n-gram embedder, local): $((($(date +%s%N) - start) / 1000000)) ms"
  fi
  echo "entries with a vector: $(sqlite3 "$db" "SELECT count(*) FROM command_history WHERE embedding_vector IS NOT NULL")"
else
  export CMDAI_EMBEDDING_MODEL=none
fi

# CPU seconds (user + system) the server's processes have used: the
# postmaster, its live children and the children it has reaped (the
# connections' backends once they exit).
server_cpu() {
  local postmaster ticks=0 pid fields
  postmaster=$(head -1 "$work/data/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do
    [ -r "/proc/$pid/stat" ] || continue
    read -r -a fields < <(sed 's/^.*) //' "/proc/$pid/stat")
    ticks=$((ticks + fields[11] + fields[12]))
    [ "$pid" = "$postmaster" ] && ticks=$((ticks + fields[13] + fields[14]))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
server_before=$(server_cpu)
start=$(date +%s%N)
/usr/bin/time -f "%U %S" -o "$work/client-cpu" "$cmdai" team push
end=$(date +%s%N)
push_ms=$(((end - start) / 1000000))
sleep 0.5 # the connections' backends exit and are reaped
server_after=$(server_cpu)
rows=$("$pg_bin/psql" -tA -h "$work" -p "$port" -U "$superuser" -d cmdai_bench -c "SELECT count(*) FROM command_history")
echo "push: $rows rows in ${push_ms} ms = $((rows * 1000 / (push_ms > 0 ? push_ms : 1))) rows/s"
read -r client_user client_sys <"$work/client-cpu"
awk -v u="$client_user" -v s="$client_sys" -v b="$server_before" -v a="$server_after" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
  'BEGIN { printf "  CPU: cmdai %.2f s (user %.2f, sys %.2f), server %.2f s; load %s\n", u + s, u, s, a - b, l }'
if [ "$vectors" = 1 ]; then
  # The push above sent the vectors too; this one measures them alone.
  "$pg_bin/psql" -q -h "$work" -p "$port" -U "$superuser" -d cmdai_bench -c "TRUNCATE cmdai_embeddings"
  sqlite3 "$db" "DELETE FROM team_pushed WHERE server LIKE '% vectors %'"
  server_before=$(server_cpu)
  start=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$work/client-cpu" "$cmdai" team push
  end=$(date +%s%N)
  vector_ms=$(((end - start) / 1000000))
  sleep 0.5
  server_after=$(server_cpu)
  pushed=$("$pg_bin/psql" -tA -h "$work" -p "$port" -U "$superuser" -d cmdai_bench -c "SELECT count(*) FROM cmdai_embeddings")
  echo "vector push: $pushed vectors in ${vector_ms} ms = $((pushed * 1000 / (vector_ms > 0 ? vector_ms : 1))) vectors/s"
  read -r client_user client_sys <"$work/client-cpu"
  awk -v u="$client_user" -v s="$client_sys" -v b="$server_before" -v a="$server_after" \
    'BEGIN { printf "  CPU: cmdai %.2f s, server %.2f s\n", u + s, a - b }'
fi
[ "$runs" -gt 0 ] || exit 0
"$pg_bin/psql" -q -h "$work" -p "$port" -U "$superuser" -d cmdai_bench -c "VACUUM ANALYZE command_history"

queries=("git push origin" "docker logs" "systemctl restart" "kubectl get pods" "journalctl since hours"
  "sytemctl restrat" "tar czf backup" "grep -rn")
team_samples="$work/team.txt"
local_samples="$work/local.txt"
: >"$team_samples"
: >"$local_samples"
elapsed_us() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}
percentile() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; print a[i]}'; }
# One mode, both sides interleaved so that they see the same machine load.
compare() {
  local mode="$1"
  : >"$team_samples"
  : >"$local_samples"
  for _ in $(seq "$runs"); do
    for q in "${queries[@]}"; do
      elapsed_us "$cmdai" search --team "$q" --mode "$mode" >>"$team_samples"
      elapsed_us "$cmdai" search "$q" --mode "$mode" >>"$local_samples"
    done
  done
  local team_p50 team_p95 local_p50 local_p95
  team_p50=$(percentile "$team_samples" 50)
  team_p95=$(percentile "$team_samples" 95)
  local_p50=$(percentile "$local_samples" 50)
  local_p95=$(percentile "$local_samples" 95)
  echo "search --mode $mode at $size entries, $(wc -l <"$team_samples") runs each (${#queries[@]} queries, interleaved):"
  echo "  search --team (PostgreSQL) p50 $((team_p50 / 1000)) ms  p95 $((team_p95 / 1000)) ms"
  echo "  search (SQLite)            p50 $((local_p50 / 1000)) ms  p95 $((local_p95 / 1000)) ms"
  awk -v t="$team_p95" -v l="$local_p95" 'BEGIN { printf "  p95 ratio team / local: %.2f\n", t / l }'
}
compare lexical
if [ "$vectors" = 1 ]; then
  "$pg_bin/psql" -q -h "$work" -p "$port" -U "$superuser" -d cmdai_bench -c "VACUUM ANALYZE cmdai_embeddings"
  compare semantic
  compare hybrid
fi
