#!/usr/bin/env bash
# What `cmdai guard AGENT` answers for every row of the safety corpus, per
# agent protocol: how many rows of each labelled level were denied, asked
# about or passed (no decision), read from each agent's own answer format;
# "block" counts exit status 2 (an event cmdai could not read or decide on).
#
#   bench/guard_corpus.sh [CORPUS.tsv]   (default tests/safety/corpus/corpus.tsv; needs python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${CMDAI_BENCH_BINARY:-$root/build/release/cmdai}"
[ -x "$binary" ] || { echo "build the release binary first: scripts/cmdai --version" >&2; exit 1; }
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CMDAI_HOME="$home" NO_COLOR=1

python3 - "$binary" "${1:-$root/tests/safety/corpus/corpus.tsv}" <<'PY'
import json, subprocess, sys
from collections import Counter
binary, corpus = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(corpus, encoding="utf-8", errors="surrogateescape")
        if l.strip() and not l.startswith("#")]
rows = [r for r in rows if len(r) == 4]

def event(agent, command, cwd):
    if agent in ("claude-code", "codex"):
        return {"session_id": "c", "cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": "Bash",
                "tool_input": {"command": command}}
    if agent == "gemini-cli":
        return {"session_id": "c", "cwd": cwd, "hook_event_name": "BeforeTool", "tool_name": "run_shell_command",
                "tool_input": {"command": command}}
    if agent == "cursor":
        return {"conversation_id": "c", "hook_event_name": "beforeShellExecution", "command": command, "cwd": cwd}
    return {"cwd": cwd, "toolName": "bash", "toolArgs": json.dumps({"command": command})}

def verdict(agent, code, out):
    if code == 2: return "block"  # fail-closed: cmdai could not decide (counted apart from deny)
    if not out.strip(): return "pass"
    a = json.loads(out)
    if "hookSpecificOutput" in a: return a["hookSpecificOutput"]["permissionDecision"]
    return a.get("decision") or a.get("permission") or a.get("permissionDecision") or "pass"

levels = ["safe", "moderate", "high", "critical"]
print(f"{len(rows)} rows of {corpus.split('/')[-1]}; deny/ask/pass/block per labelled level")
for agent in ["claude-code", "gemini-cli", "cursor", "copilot-cli", "codex"]:
    counts = {l: Counter() for l in levels}
    for command, cwd, level, family in rows:
        text = json.dumps(event(agent, command, cwd)).encode("utf-8", "surrogateescape")
        r = subprocess.run([binary, "guard", agent], input=text, capture_output=True)
        counts[level][verdict(agent, r.returncode, r.stdout.decode("utf-8", "replace"))] += 1
    cells = "  ".join(f"{l}: {counts[l]['deny']}/{counts[l]['ask']}/{counts[l]['pass']}/{counts[l]['block']}"
                      for l in levels)
    print(f"{agent:<12} {cells}")
PY
