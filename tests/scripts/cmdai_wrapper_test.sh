#!/usr/bin/env bash
# scripts/cmdai in a copy of the checkout's layout: reached through a
# symlink it finds its checkout, and with a current build it execs the
# binary without starting any other process (counted with strace).
#   cmdai_wrapper_test.sh SOURCE_DIR
set -euo pipefail
source_dir="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

root="$tmp/checkout"
mkdir -p "$root/scripts" "$root/build/release" "$root/.git" "$tmp/bin"
cp "$source_dir/scripts/cmdai" "$root/scripts/cmdai"
touch "$root/.git/HEAD" "$root/.git/index"
sleep 0.01  # the binary must be strictly newer (file times have ns resolution)
printf '#!/bin/sh\necho "binary: $*"\nexit 7\n' >"$root/build/release/cmdai"
chmod +x "$root/build/release/cmdai"
ln -s "$root/scripts/cmdai" "$tmp/bin/cmdai"

status=0
out="$(cd / && "$tmp/bin/cmdai" --version 'two words')" || status=$?
[ "$out" = "binary: --version two words" ] || fail "through a symlink: $out"
[ "$status" = 7 ] || fail "exit status $status, not the binary's 7"

if command -v strace >/dev/null; then
  strace -f -qq -e trace=execve -o "$tmp/trace" "$tmp/bin/cmdai" x >/dev/null || true
  # the wrapper itself, readlink for the symlink, the binary (and its /bin/sh)
  execs="$(grep -c 'execve(' "$tmp/trace")"
  grep -q 'find\|cmake\|setup' "$tmp/trace" && fail "the fast path ran a build step: $(cat "$tmp/trace")"
  [ "$execs" -le 4 ] || fail "the fast path started $execs programs: $(cat "$tmp/trace")"
fi

# A checkout whose HEAD moved after the build takes the slow path (here it
# fails fast: no CMake project in the copy), it never runs a stale binary.
touch "$root/.git/HEAD"
out="$("$tmp/bin/cmdai" --version 2>&1)" && fail "a stale binary ran: $out"
case "$out" in binary:*) fail "a stale binary ran: $out" ;; esac
echo "wrapper ok"
