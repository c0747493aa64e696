#pragma once
// A deterministic synthetic shell history for the history benchmarks:
// commands from ~90 templates (chosen with a Zipf-like skew, as real
// histories are dominated by a few tools), slot values from pools of
// project names, hosts, services, files, numbers and hex ids, so the
// vocabulary grows with the history the way a real one does.

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/time.h"
#include "core/uuid.h"
#include "history/history_store.h"

namespace cmdai::bench {

inline constexpr std::array<std::string_view, 91> k_templates{"git status",
                                                              "git commit -m '{w} {w}'",
                                                              "git checkout {b}",
                                                              "git push origin {b}",
                                                              "git log --oneline -n {n}",
                                                              "git diff {f}",
                                                              "git pull --rebase",
                                                              "git rebase -i HEAD~{n}",
                                                              "git stash pop",
                                                              "git branch -d {b}",
                                                              "ls -la {d}",
                                                              "cd {d}",
                                                              "docker run -d --name {w} -p {n}:{n} {w}:latest",
                                                              "docker logs -f {w}",
                                                              "docker ps -a",
                                                              "docker exec -it {w} bash",
                                                              "docker compose up -d {w}",
                                                              "kubectl get pods -n {w}",
                                                              "kubectl logs {w}-{x} -n {w}",
                                                              "kubectl apply -f {f}.yaml",
                                                              "kubectl describe deployment {w}",
                                                              "systemctl status {s}",
                                                              "systemctl restart {s}",
                                                              "systemctl reload {s}",
                                                              "journalctl -u {s} --since '{n} hours ago'",
                                                              "find {d} -name '*.{e}' -mtime -{n}",
                                                              "grep -rn '{w}' {d}",
                                                              "tar -czf {w}.tar.gz {d}",
                                                              "rsync -av {d}/ {h}:{d}/",
                                                              "ssh {w}@{h}",
                                                              "scp {f} {h}:/tmp/",
                                                              "curl -s https://{h}/api/{w}",
                                                              "make -j{n} {w}",
                                                              "cargo build --release",
                                                              "cargo test {w}",
                                                              "npm run {w}",
                                                              "npm install {w}",
                                                              "pip install {w}",
                                                              "python3 {w}.py --{w} {n}",
                                                              "du -sh {d}/*",
                                                              "df -h",
                                                              "ps aux | grep {s}",
                                                              "kill -9 {n}",
                                                              "chmod 644 {f}",
                                                              "vim {f}",
                                                              "cat {f} | jq '.{w}'",
                                                              "sed -i 's/{w}/{w}/g' {f}",
                                                              "awk '{print $1}' {f} | sort | uniq -c",
                                                              "top -b -n 1 | head -20",
                                                              "htop",
                                                              "free -m",
                                                              "uname -a",
                                                              "ip addr show",
                                                              "ping -c {n} {h}",
                                                              "dig {h}",
                                                              "openssl x509 -in {w}.pem -noout -text",
                                                              "aws s3 cp {f} s3://{w}-bucket/",
                                                              "terraform plan -var-file={w}.tfvars",
                                                              "ansible-playbook -i inventory {w}.yml",
                                                              "psql -h {h} -U {w} -d {w}",
                                                              "redis-cli -h {h} info",
                                                              "crontab -l",
                                                              "apt-get install -y {w}",
                                                              "zip -r {w}.zip {d}",
                                                              "unzip {w}.zip -d {d}",
                                                              "wget https://{h}/{f}",
                                                              "go test ./...",
                                                              "go build -o bin/{w} ./cmd/{w}",
                                                              "mvn clean package -DskipTests",
                                                              "node {w}.js",
                                                              "yarn add {w}",
                                                              "pytest -k {w} -x",
                                                              "ffmpeg -i {w}.mp4 -vn {w}.mp3",
                                                              "nginx -t",
                                                              "certbot renew",
                                                              "ufw allow {n}",
                                                              "iptables -L -n",
                                                              "lsblk",
                                                              "watch -n {n} 'systemctl status {s}'",
                                                              "tmux attach -t {w}",
                                                              "git clone https://github.com/{w}/{w}.git",
                                                              "code {d}",
                                                              "less {f}",
                                                              "tail -f /var/log/{s}.log",
                                                              "head -n {n} {f}",
                                                              "wc -l {f}",
                                                              "echo ${w}",
                                                              "export {W}={w}",
                                                              "history | grep {w}",
                                                              "man {w}",
                                                              "which {w}"};

class Corpus {
 public:
  explicit Corpus(std::uint64_t seed = 42) : m_random(seed) {
    static constexpr std::array<std::string_view, 24> syllables{"ka",  "lo",  "mi",  "ne",  "ra",  "to",  "vu",  "zen",
                                                                "pa",  "qui", "dor", "bel", "fin", "gra", "hul", "jet",
                                                                "sto", "wex", "yal", "cor", "tri", "ban", "sol", "mar"};
    for (int i = 0; i < 3000; ++i) {
      std::string word;
      const int parts = 2 + i % 3;
      for (int p = 0; p < parts; ++p) word += syllables[(i * 7 + p * 13 + i / 24) % syllables.size()];
      m_words.push_back(word + (i >= 576 ? std::to_string(i % 97) : ""));
    }
    for (int i = 0; i < 300; ++i)
      m_directories.push_back("/home/user/" + m_words[i % 200] + "/src" + (i >= 200 ? "/lib" : ""));
    for (auto s : {"nginx", "postgresql", "redis", "docker", "sshd", "cron", "apache2", "mysql", "grafana",
                   "prometheus", "haproxy", "kubelet", "containerd", "elasticsearch", "rabbitmq", "memcached"}) {
      m_services.emplace_back(s);
    }
    for (int i = 0; i < 400; ++i) m_hosts.push_back(m_words[(i * 3) % 1000] + ".example.com");
  }

  static constexpr long long k_end = 1'796'000'000;  // late 2026
  static constexpr long long k_span = 2 * 365 * 86400;

  // The i-th of total entries; timestamps rise with i over the two years before k_end.
  history::HistoryRecord record(std::int64_t i, std::int64_t total) {
    history::HistoryRecord record;
    CommandHistoryEntry& e = record.entry;
    e.id = make_uuid_v4();
    e.timestamp = from_unix_seconds(k_end - k_span + k_span * i / std::max<std::int64_t>(total, 1));
    const std::size_t t = zipf(k_templates.size());
    e.command = fill(std::string(k_templates[t]));
    e.explanation = "Runs " + e.command.substr(0, e.command.find(' ')) + " (" + std::to_string(t) + ")";
    if (m_random() % 3 == 0) e.user_input = "please " + e.command.substr(0, e.command.find(' ')) + " " + pick(m_words);
    e.shell_type = m_random() % 3 == 0 ? ShellType::zsh : ShellType::bash;
    e.working_directory = m_directories[zipf(m_directories.size())];
    ExecutionMetadata execution;
    execution.backend_used = m_random() % 4 == 0 ? "ollama" : "rules";
    if (m_random() % 2 == 0) execution.exit_code = m_random() % 10 == 0 ? 1 : 0;
    e.execution_metadata = execution;
    e.safety_metadata = SafetyMetadata{m_random() % 20 == 0 ? RiskLevel::moderate : RiskLevel::safe, {}, false, 1.0};
    return record;
  }

  std::string command() { return fill(std::string(k_templates[zipf(k_templates.size())])); }
  const std::string& directory(std::size_t i) const { return m_directories[i]; }

 private:
  std::string fill(const std::string& pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] != '{' || i + 2 >= pattern.size() || pattern[i + 2] != '}') {
        out += pattern[i];
        continue;
      }
      out += slot(pattern[i + 1]);
      i += 2;
    }
    return out;
  }

  std::string slot(char kind) {
    static constexpr std::array<std::string_view, 8> exts{"py", "log", "txt", "json", "yaml", "cpp", "md", "sh"};
    switch (kind) {
      case 'w': return pick(m_words);
      case 'W': return "VAR_" + std::to_string(zipf(200));
      case 'b': return "feature/" + pick(m_words);
      case 'f': return pick(m_words) + "." + std::string(exts[m_random() % exts.size()]);
      case 'd': return m_directories[zipf(m_directories.size())];
      case 'e': return std::string(exts[m_random() % exts.size()]);
      case 'n': return std::to_string(m_random() % 10000);
      case 'x': {
        static constexpr char hex[] = "0123456789abcdef";
        std::string id;
        for (int k = 0; k < 8; ++k) id += hex[m_random() % 16];
        return id;
      }
      case 's': return pick(m_services);
      case 'h': return pick(m_hosts);
      default: return "?";
    }
  }

  // Index in [0, n) with P(i) ~ 1 / (i + 1).
  std::size_t zipf(std::size_t n) {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
    const auto i = static_cast<std::size_t>(std::exp(u * std::log(static_cast<double>(n) + 1.0)) - 1.0);
    return std::min(i, n - 1);
  }
  std::string pick(const std::vector<std::string>& pool) { return pool[zipf(pool.size())]; }

  std::mt19937_64 m_random;
  std::vector<std::string> m_words;
  std::vector<std::string> m_directories;
  std::vector<std::string> m_services;
  std::vector<std::string> m_hosts;
};

}  // namespace cmdai::bench
