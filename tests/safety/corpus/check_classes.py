#!/usr/bin/env python3
"""Checks tests/safety/corpus/classes.tsv: header, 4 columns, known levels,
absolute cwd, valid escapes, no duplicate (command, cwd); prints counts."""
import collections
import os
import sys

HEADER = ("# command\tcwd\texpected\tfamily  (written from the class list, "
          "labelled before the validator rated them; home is /home/u)")
LEVELS = ["safe", "moderate", "high", "critical"]


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            nxt = s[i + 1] if i + 1 < len(s) else ""
            if nxt not in ("n", "t", "\\"):
                raise ValueError("bad escape at %d" % i)
            out.append({"n": "\n", "t": "\t", "\\": "\\"}[nxt])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "classes.tsv")
    lines = open(path, encoding="utf-8").read().split("\n")
    errors = []
    if lines[0] != HEADER:
        errors.append("line 1: header differs")
    if lines[-1] == "":
        lines = lines[:-1]
    seen = {}
    counts = collections.defaultdict(collections.Counter)
    for n, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) != 4:
            errors.append("line %d: %d columns" % (n, len(cols)))
            continue
        cmd, cwd, level, family = cols
        try:
            unescape(cmd)
        except ValueError as e:
            errors.append("line %d: %s" % (n, e))
        if not cmd.strip():
            errors.append("line %d: empty command" % n)
        if level not in LEVELS:
            errors.append("line %d: level %r" % (n, level))
        if not cwd.startswith("/"):
            errors.append("line %d: cwd not absolute" % n)
        if not family:
            errors.append("line %d: no family" % n)
        if (cmd, cwd) in seen:
            errors.append("line %d: duplicate of line %d" % (n, seen[(cmd, cwd)]))
        seen[(cmd, cwd)] = n
        counts[family][level] += 1
    width = max(len(f) for f in counts) if counts else 6
    print("%-*s %6s %8s %6s %8s %6s" % (width, "family", *LEVELS, "total"))
    total = collections.Counter()
    for fam, c in counts.items():
        total.update(c)
        print("%-*s %6d %8d %6d %8d %6d" % (width, fam, *(c[l] for l in LEVELS), sum(c.values())))
    print("%-*s %6d %8d %6d %8d %6d" % (width, "TOTAL", *(total[l] for l in LEVELS), sum(total.values())))
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
