#!/usr/bin/env bash
# How much of the 50 most common commands `cmdai explain` documents: of
# every flag in bench/explain/common_commands.txt, the share explained from
# the man pages installed on this machine, from cmdai's built-in table, and
# not at all. Offline; the parsed pages are cached under CMDAI_HOME.
#
#   bench/explain_coverage.sh [CMDAI_BINARY]   (needs python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/build/release/cmdai}"
[ -x "$binary" ] || { echo "no cmdai at $binary" >&2; exit 1; }
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CMDAI_HOME="$home"
while IFS= read -r command; do
  "$binary" explain --json -- "$command" || true
done <"$root/bench/explain/common_commands.txt" >"$home/parts.jsonl" 2>/dev/null
python3 - "$home/parts.jsonl" <<'PY'
import json, sys
decoder = json.JSONDecoder()
text = open(sys.argv[1]).read()
docs, i = [], 0
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    doc, i = decoder.raw_decode(text, i)
    docs.append(doc)
counts = {"man page": 0, "cmdai": 0, "": 0}
missing = []
for doc in docs:
    for stage in doc.get("parts", []):
        for flag in stage["flags"]:
            counts[flag["source"]] += 1
            if not flag["source"]: missing.append(stage["program"] + " " + flag["flag"])
total = sum(counts.values())
print(f"commands: {len(docs)}  flags: {total}")
for name, label in (("man page", "from man pages"), ("cmdai", "from the built-in table"), ("", "not explained")):
    print(f"  {label:<24}{counts[name]:>4}  {100 * counts[name] / max(total, 1):5.1f}%")
if missing: print("not explained:", ", ".join(missing))
PY
