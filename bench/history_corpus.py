#!/usr/bin/env python3
# N history entries as JSONL for `cmdai history import --format jsonl`:
# commands, directories, shells, exit statuses (10% failed) and times spread
# over two years (a million entries), the same for every run (seed 7).
# Used by bench/history_import_bench.sh and bench/picker_latency.sh.
#
#   bench/history_corpus.py N > entries.jsonl
import json, random, sys, uuid
random.seed(7)
n = int(sys.argv[1])
programs = ["git status", "git log --oneline", "docker logs web", "kubectl get pods -n prod", "ls -la",
            "rsync -a src/ backup/", "grep -rn TODO src", "make -j8", "systemctl restart nginx",
            "tar -czf site.tgz site", "journalctl -u nginx --since today", "ssh deploy@web1 uptime",
            "python3 manage.py migrate", "npm run build", "cargo test", "du -sh *", "df -h"]
dirs = ["/home/me", "/home/me/src/app", "/home/me/src/api", "/srv/www", "/var/log", "/tmp"]
shells = ["bash", "zsh", "fish"]
start = 1_700_000_000
for i in range(n):
    when = start + i * 63  # about two years for a million entries
    entry = {"id": str(uuid.UUID(int=random.getrandbits(128), version=4)),
             "timestamp": __import__("datetime").datetime.utcfromtimestamp(when).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "command": random.choice(programs) + (" # %d" % random.randrange(5000) if random.random() < 0.3 else ""),
             "explanation": "", "shell_type": random.choice(shells), "working_directory": random.choice(dirs),
             "execution_metadata": {"exit_code": 0 if random.random() < 0.9 else random.choice([1, 2, 127]),
                                    "backend_used": "shell"}}
    print(json.dumps(entry))
