#!/usr/bin/env python3
"""Compile cost of a clean build, before against after, on a shared machine.

Usage: bench/build_time.py BEFORE_BUILD_DIR AFTER_BUILD_DIR [SAMPLE] [SEED]

Each directory is a configured build tree (e.g. the dev preset's build/dev)
with a compile_commands.json. The script draws SAMPLE translation units
(default 60) that both trees compile, with a fixed seed, and compiles each
one from both trees in turn, the order alternating, without the compiler
cache. It sums the compiler's CPU time (user + system, from getrusage of
the children) per tree, which load on a shared machine barely changes, and
scales the sums to the whole tree to estimate a clean build's compile CPU.
Object files go to a temporary directory; the build trees are not touched.
"""

import json
import os
import random
import resource
import shlex
import subprocess
import sys
import tempfile


def compile_database(build_dir):
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    source_root = os.path.dirname(os.path.dirname(os.path.abspath(build_dir)))
    units = {}
    for entry in entries:
        relative = os.path.relpath(entry["file"], source_root)
        if relative.startswith(".."):
            continue  # third-party code built outside the tree
        units[relative] = entry
    return units


def object_command(entry, output):
    words = shlex.split(entry["command"])
    if "-o" in words:
        words[words.index("-o") + 1] = output
    return [w for w in words if not w.startswith(("-MD", "-MF"))]


def cpu_seconds_of(command, directory):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, CCACHE_DISABLE="1")
    subprocess.run(command, cwd=directory, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    before_dir, after_dir = sys.argv[1], sys.argv[2]
    sample_size = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    trees = [("before", compile_database(before_dir)),
             ("after", compile_database(after_dir))]
    common = sorted(set(trees[0][1]) & set(trees[1][1]))
    sample = random.Random(seed).sample(common, min(sample_size, len(common)))
    totals = {"before": 0.0, "after": 0.0}
    with tempfile.TemporaryDirectory() as scratch:
        output = os.path.join(scratch, "unit.o")
        for index, unit in enumerate(sample):
            order = trees if index % 2 == 0 else list(reversed(trees))
            for name, units in order:
                entry = units[unit]
                totals[name] += cpu_seconds_of(
                    object_command(entry, output), entry["directory"])
    for name, units in trees:
        scale = len(units) / len(sample)
        print(f"{name}: {len(units)} units, sample of {len(sample)} "
              f"compiled in {totals[name]:.1f} CPU s; "
              f"whole tree ~{totals[name] * scale / 60:.1f} CPU min")
    print(f"after / before, same units: {totals['after'] / totals['before']:.3f}")


if __name__ == "__main__":
    main()
