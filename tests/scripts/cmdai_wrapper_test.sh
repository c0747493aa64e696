#!/usr/bin/env bash
# scripts/cmdai in a copy of the checkout's layout: reached through a
# symlink it finds its checkout, and with a current build it execs the
# binary without starting any other process (counted with strace); the link
# is read once (readlink) and its answer kept until the link changes.
#   cmdai_wrapper_test.sh SOURCE_DIR
set -euo pipefail
source_dir="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export CMDAI_HOME="$tmp/home"  # where the wrapper keeps what a link names

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

grep -qxF "$tmp/bin/cmdai -> $root/scripts/cmdai" "$CMDAI_HOME/wrapper-links" ||
  fail "the link's target is not kept: $(cat "$CMDAI_HOME/wrapper-links" 2>&1)"

if command -v strace >/dev/null; then
  strace -f -qq -e trace=execve -o "$tmp/trace" "$tmp/bin/cmdai" x >/dev/null || true
  # the wrapper itself and the binary (a script here: one execve), no readlink
  execs="$(grep -c 'execve(' "$tmp/trace")"
  grep -q 'find\|cmake\|setup\|readlink' "$tmp/trace" && fail "the fast path ran another program: $(cat "$tmp/trace")"
  [ "$execs" -le 2 ] || fail "the fast path started $execs programs: $(cat "$tmp/trace")"
fi

# The link moved to another checkout: the kept answer names another file,
# so the link is read again and the other checkout's binary runs.
other="$tmp/other"
mkdir -p "$other/scripts" "$other/build/release" "$other/.git"
cp "$source_dir/scripts/cmdai" "$other/scripts/cmdai"
touch "$other/.git/HEAD" "$other/.git/index"
sleep 0.01
printf '#!/bin/sh\necho "other: $*"\n' >"$other/build/release/cmdai"
chmod +x "$other/build/release/cmdai"
ln -sfn "$other/scripts/cmdai" "$tmp/bin/cmdai"
out="$("$tmp/bin/cmdai" --version)"
[ "$out" = "other: --version" ] || fail "a moved link ran: $out"
grep -qxF "$tmp/bin/cmdai -> $other/scripts/cmdai" "$CMDAI_HOME/wrapper-links" ||
  fail "the moved link's target is not kept: $(cat "$CMDAI_HOME/wrapper-links")"
ln -sfn "$root/scripts/cmdai" "$tmp/bin/cmdai"

# A checkout whose HEAD moved after the build takes the slow path (here it
# fails fast: no CMake project in the copy), it never runs a stale binary.
touch "$root/.git/HEAD"
out="$("$tmp/bin/cmdai" --version 2>&1)" && fail "a stale binary ran: $out"
case "$out" in binary:*) fail "a stale binary ran: $out" ;; esac
echo "wrapper ok"
