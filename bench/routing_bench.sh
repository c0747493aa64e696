#!/usr/bin/env bash
# Routing benchmarks in the release build: selection with cached health
# (1/10/100 instances), a new process loading backend_metrics and selecting,
# and the cold parallel health check of real llama-server processes plus
# dead ports and hanging listeners.
#
#   bench/routing_bench.sh [google-benchmark flags, e.g. --benchmark_filter=Cold]
#
# llama-server comes from the pinned llama.cpp build (CMDAI_LLAMA_SERVER in
# the CMake cache); the tiny chat model from the dev build's make_tiny_model,
# written once into build/dev/tests/tiny-models (or CMDAI_TEST_CHAT_MODEL).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/lib/build-env"

cmake --preset release >/dev/null
cmake --build build/release --target routing_bench -j2 >/dev/null

server="${CMDAI_LLAMA_SERVER:-$(sed -n 's/^CMDAI_LLAMA_SERVER:FILEPATH=//p' build/release/CMakeCache.txt)}"
# The release preset builds no tests: the tiny model comes from the dev
# build's make_tiny_model (the same file the routing tests use).
model="${CMDAI_TEST_CHAT_MODEL:-$root/build/dev/tests/tiny-models/chat.gguf}"
if [[ ! -f "$model" ]]; then
  cmake --preset dev >/dev/null
  cmake --build build/dev --target make_tiny_model -j2 >/dev/null
  mkdir -p "$(dirname "$model")"
  build/dev/tests/make_tiny_model chat "$model" >/dev/null
fi
CMDAI_LLAMA_SERVER="$server" CMDAI_TEST_CHAT_MODEL="$model" ./build/release/bench/routing_bench "$@"
