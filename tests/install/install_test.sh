#!/usr/bin/env bash
# Installs the built tree into a temporary prefix and runs what was
# installed: the binary away from the build tree, a rules answer, the man
# page through man -l and the three completion scripts through their shells.
#   install_test.sh BUILD_DIR
set -euo pipefail
build="$1"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/cmdai share/man/man1/cmdai.1.gz share/bash-completion/completions/cmdai \
         share/zsh/site-functions/_cmdai share/fish/vendor_completions.d/cmdai.fish; do
  [ -s "$prefix/$f" ] || fail "$f not installed"
done

binary="$prefix/bin/cmdai"
if ldd "$binary" | grep -E "not found|$build" >&2; then fail "installed binary needs the build tree"; fi
if readelf -d "$binary" | grep -E "R(UN)?PATH" >&2; then fail "installed binary keeps a build RPATH"; fi

export CMDAI_HOME="$prefix/home" NO_COLOR=1
"$binary" --version | grep -q "^cmdai " || fail "--version"
answer="$(cd / && "$binary" --no-stream "show git status")"
grep -q "^git status" <<<"$answer" || fail "rules answer: $answer"

page="$(MANWIDTH=80 man -l "$prefix/share/man/man1/cmdai.1.gz" 2>&1)"
for section in NAME SYNOPSIS COMMANDS OPTIONS "EXIT STATUS"; do
  grep -q "^$section" <<<"$page" || fail "man page has no $section section: $page"
done
grep -q -- "--dry-run" <<<"$page" || fail "man page lists no --dry-run"
grep -q -- "--since WHEN" <<<"$page" || fail "man page lists no subcommand option"
grep -q "cmdai run the tests" <<<"$page" || fail "man page does not state the grammar"

bash -c "source '$prefix/share/bash-completion/completions/cmdai'; complete -p cmdai" >/dev/null ||
  fail "bash completion"
zsh -n "$prefix/share/zsh/site-functions/_cmdai" || fail "zsh completion does not parse"
fish -n "$prefix/share/fish/vendor_completions.d/cmdai.fish" || fail "fish completion does not parse"
# Each shell's script asks the installed binary: values from its tables.
words="$(PATH="$prefix/bin:$PATH" fish --no-config -c "source '$prefix/share/fish/vendor_completions.d/cmdai.fish'; complete -C 'cmdai hist'")"
grep -q "^history" <<<"$words" || fail "fish completes no subcommand: $words"
words="$(PATH="$prefix/bin:$PATH" fish --no-config -c "source '$prefix/share/fish/vendor_completions.d/cmdai.fish'; complete -C 'cmdai --color a'")"
grep -q "^always" <<<"$words" || fail "fish completes no flag value: $words"
echo "installed and ran from $prefix"
