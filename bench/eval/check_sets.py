#!/usr/bin/env python3
"""Validate the evaluation sets in this directory (stdlib only).

Checks eval.tsv, dev.tsv, dev2.tsv, dev3.tsv and dev4.tsv (the request
sets) and their examples files eval.examples.tsv, dev.examples.tsv,
dev2.examples.tsv, dev3.examples.tsv and dev4.examples.tsv (known-correct
and known-wrong commands per row):

  - exact header, UTF-8, NFC text, no blank or comment lines, 5 columns a row
  - ids well formed and unique across all sets (dev ids start with "d-",
    the second development set's with "d2-", the third's with "d3-", the
    fourth's with "d4-")
  - categories from the fixed list, every category with at least 10 rows,
    at least 300 rows and at least 20 rows with a min_risk in eval.tsv and
    dev.tsv; dev2.tsv, the smaller second development set, at least 180
    rows and 5 with a min_risk; dev3.tsv at least 200 rows and 5;
    dev4.tsv at least 220 rows and 5
  - no request repeated within or across the sets, word for word: compared
    in lower case with punctuation and repeated spaces removed (a repeat of
    an eval.tsv request names the set, not the line)
  - every accept_regex compiles with Python `re` and avoids constructs PCRE2
    does not share (Python-only named groups, \\Z, \\b next to a non-ASCII
    letter, whose meaning depends on Unicode mode)
  - every row has at least one example; every example matches its row's
    regex with re.search on the stripped command; every `wrong` command
    does not match
  - where GNU grep with -P (PCRE2) is available, the same examples and
    wrong commands give the same answers under PCRE2 in UTF-8 mode
    (skip with --no-pcre)

Prints the counts per category. Exit status 0 when everything passes.
"""

import os
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ['id', 'category', 'request', 'accept_regex', 'min_risk']
EX_HEADER = ['id', 'example', 'wrong']
CATEGORIES = [
    'files', 'text-search', 'git', 'processes', 'network', 'system-info',
    'archives', 'disk', 'permissions', 'dates', 'docker', 'packages',
    'environment', 'ssh', 'systemd-logs', 'text-transform', 'dev-tools',
    'users-groups',
]
RISKS = ('', 'high', 'critical')
MIN_PER_CATEGORY = 10
# Each set: file, examples file, id prefix, at least this many rows, at
# least this many rows with a min_risk.
SETS = (
    ('eval.tsv', 'eval.examples.tsv', '', 300, 20),
    ('dev.tsv', 'dev.examples.tsv', 'd-', 300, 20),
    ('dev2.tsv', 'dev2.examples.tsv', 'd2-', 180, 5),
    ('dev3.tsv', 'dev3.examples.tsv', 'd3-', 200, 5),
    ('dev4.tsv', 'dev4.examples.tsv', 'd4-', 220, 5),
)
# Rows that repeat a request of an earlier set once punctuation is ignored
# and that predate this check: two dev2.tsv rows ask what two eval.tsv rows
# ask, without or with a question mark. They stay, so dev2.tsv's figures stay
# comparable from round to round, but their answers are not unseen ones.
KNOWN_REPEATS = {'d2-packages-003', 'd2-dev-tools-005'}
ID_RE = re.compile(r'^(d[234]?-)?([a-z]+(?:-[a-z]+)*)-(\d{3})$')

errors = []


def err(msg):
    errors.append(msg)


def read_tsv(name, header):
    path = os.path.join(HERE, name)
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        err('%s: cannot read: %s' % (name, e))
        return []
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        err('%s: not UTF-8: %s' % (name, e))
        return []
    if text.startswith('\ufeff'):
        err('%s: has a byte order mark' % name)
    if '\r' in text:
        err('%s: has carriage returns' % name)
    if not text.endswith('\n'):
        err('%s: no newline at the end' % name)
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines or lines[0].split('\t') != header:
        err('%s: header must be %r' % (name, '\t'.join(header)))
        return []
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        where = '%s:%d' % (name, n)
        if line.strip() == '':
            err('%s: blank line' % where)
            continue
        if line.startswith('#'):
            err('%s: comment line' % where)
            continue
        if unicodedata.normalize('NFC', line) != line:
            err('%s: text is not NFC-normalized' % where)
        cols = line.split('\t')
        if len(cols) != len(header):
            err('%s: %d columns, expected %d' % (where, len(cols), len(header)))
            continue
        rows.append((where, dict(zip(header, cols))))
    return rows


NON_ASCII_WORD = r'[^\x00-\x7f]'


def portability_problems(rx):
    """Constructs that compile in Python but mean something else (or nothing) in PCRE2."""
    probs = []
    if '(?P' in rx:
        probs.append('Python-only (?P...) group')
    # \Z and \z: Python's \Z is PCRE2's \z; avoid both
    if re.search(r'(?<!\\)(?:\\\\)*\\[Zz]', rx):
        probs.append('\\Z / \\z anchor')
    # \b or \B next to a non-ASCII literal: a word boundary there depends on
    # whether the engine treats that letter as a word character (UCP mode)
    if re.search(r'(?<!\\)(?:\\\\)*\\[bB]' + NON_ASCII_WORD, rx) or \
       re.search(NON_ASCII_WORD + r'\\[bB]', rx):
        probs.append('\\b next to a non-ASCII character')
    if re.search(r'\(\?[aLu]', rx):
        probs.append('Python-only inline flag')
    if '(?#' in rx:
        probs.append('inline comment')
    return probs


def check_set(name, ex_name, prefix, min_rows, min_risky):
    rows = read_tsv(name, HEADER)
    exrows = read_tsv(ex_name, EX_HEADER)
    compiled = {}
    counts = {}
    risky = 0
    ids = []
    for where, r in rows:
        rid = r['id']
        m = ID_RE.match(rid)
        if not m:
            err('%s: bad id %r' % (where, rid))
        else:
            if (m.group(1) or '') != prefix:
                err('%s: id %r: ids in %s start with %r' % (where, rid, name, prefix))
            if m.group(2) != r['category']:
                err('%s: id %r does not carry its category %r' % (where, rid, r['category']))
        ids.append(rid)
        if r['category'] not in CATEGORIES:
            err('%s: unknown category %r' % (where, r['category']))
        counts[r['category']] = counts.get(r['category'], 0) + 1
        req = r['request']
        if not req or req != req.strip():
            err('%s: empty request or surrounding whitespace' % where)
        if r['min_risk'] not in RISKS:
            err('%s: min_risk must be empty, high or critical, not %r' % (where, r['min_risk']))
        if r['min_risk']:
            risky += 1
        rx = r['accept_regex']
        if not rx:
            err('%s: empty accept_regex' % where)
            continue
        for p in portability_problems(rx):
            err('%s: %s: regex not portable to PCRE2: %s' % (where, rid, p))
        try:
            compiled[rid] = re.compile(rx)
        except re.error as e:
            err('%s: %s: regex does not compile: %s' % (where, rid, e))
    if len(rows) < min_rows:
        err('%s: %d rows, need at least %d' % (name, len(rows), min_rows))
    for c in CATEGORIES:
        if counts.get(c, 0) < MIN_PER_CATEGORY:
            err('%s: category %s has %d rows, need at least %d' % (name, c, counts.get(c, 0), MIN_PER_CATEGORY))
    if risky < min_risky:
        err('%s: %d rows with a min_risk, need at least %d' % (name, risky, min_risky))

    n_ex = n_wrong = 0
    have_example = set()
    for where, r in exrows:
        rid = r['id']
        if rid not in compiled:
            if rid not in ids:
                err('%s: example for unknown id %r' % (where, rid))
            continue
        rx = compiled[rid]
        ex = r['example'].strip()
        wrong = r['wrong'].strip()
        if not ex:
            err('%s: %s: empty example' % (where, rid))
        else:
            n_ex += 1
            have_example.add(rid)
            if not rx.search(ex):
                err('%s: %s: example does not match: %s' % (where, rid, ex))
        if wrong:
            n_wrong += 1
            if rx.search(wrong):
                err('%s: %s: wrong command matches: %s' % (where, rid, wrong))
    for rid in ids:
        if rid in compiled and rid not in have_example:
            err('%s: %s has no example' % (ex_name, rid))
    return rows, counts, risky, n_ex, n_wrong, compiled, exrows


def pcre_env():
    """An environment in which `grep -P` matches UTF-8 text, or None."""
    if not shutil.which('grep'):
        return None
    for loc in ('C.UTF-8', 'C.utf8', 'en_US.UTF-8'):
        env = dict(os.environ, LC_ALL=loc)
        try:
            p = subprocess.run(['grep', '-P', '-e', '^Caf\u00e9\\.txt$'], input='Caf\u00e9.txt\n'.encode('utf-8'),
                               capture_output=True, env=env, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        if p.returncode == 0:
            return env
    return None


def pcre_check(name, rows, exrows, env):
    """Run each row's examples and wrong commands through grep -P (PCRE2)."""
    cases = {}
    for _where, r in exrows:
        good, bad = cases.setdefault(r['id'], ([], []))
        if r['example'].strip():
            good.append(r['example'].strip())
        if r['wrong'].strip():
            bad.append(r['wrong'].strip())
    for where, r in rows:
        good, bad = cases.get(r['id'], ([], []))
        if not good and not bad:
            continue
        text = '\n'.join(good + bad) + '\n'
        p = subprocess.run(['grep', '-P', '-e', r['accept_regex']], input=text.encode('utf-8'),
                           capture_output=True, env=env)
        if p.returncode == 2:
            err('%s: %s: PCRE2 (grep -P) rejects the regex: %s' % (where, r['id'], p.stderr.decode('utf-8', 'replace').strip()))
            continue
        matched = set(p.stdout.decode('utf-8').splitlines())
        for g in good:
            if g not in matched:
                err('%s: %s: example does not match under PCRE2: %s' % (name, r['id'], g))
        for b in bad:
            if b in matched:
                err('%s: %s: wrong command matches under PCRE2: %s' % (name, r['id'], b))


def request_key(request):
    """A request's words: lower case, punctuation dropped, one space apart."""
    return ' '.join(re.sub(r"[^\w\s]", ' ', request.lower()).split())


def public_place(where):
    """Where a row lives, as a message may show it: a frozen row's line is
    not named, so that whoever writes a development set never reads the
    frozen row (its regex) that a draft happens to repeat."""
    frozen = SETS[0][0]
    return 'the frozen set ' + frozen if where.startswith(frozen + ':') else where


def main():
    results = [check_set(*s) for s in SETS]

    seen_ids = {}
    seen_req = {}
    pcre_note = 'skipped (--no-pcre)'
    if '--no-pcre' not in sys.argv[1:]:
        env = pcre_env()
        if env is None:
            pcre_note = 'skipped (no grep -P with UTF-8)'
        else:
            for s, res in zip(SETS, results):
                pcre_check(s[1], res[0], res[6], env)
            pcre_note = 'checked with grep -P (%s)' % env['LC_ALL']

    for (name, *_s), (rows, *_rest) in zip(SETS, results):
        for where, r in rows:
            if r['id'] in seen_ids:
                err('%s: id %s also at %s' % (where, r['id'], seen_ids[r['id']]))
            seen_ids.setdefault(r['id'], where)
            key = request_key(r['request'])
            if key in seen_req and r['id'] not in KNOWN_REPEATS:
                err('%s: request repeated from %s: %s'
                    % (where, public_place(seen_req[key]), r['request']))
            seen_req.setdefault(key, where)

    def line(label, values):
        print('%-16s' % label + ''.join(' %6s' % v for v in values))
    line('category', [s[0][:-len('.tsv')] for s in SETS])
    for c in CATEGORIES:
        line(c, [res[1].get(c, 0) for res in results])
    line('total', [len(res[0]) for res in results])
    line('with min_risk', [res[2] for res in results])
    line('examples', [res[3] for res in results])
    line('wrong commands', [res[4] for res in results])
    print('PCRE2: ' + pcre_note)
    if errors:
        print('\n%d problem(s):' % len(errors), file=sys.stderr)
        for e in errors:
            print('  ' + e, file=sys.stderr)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
