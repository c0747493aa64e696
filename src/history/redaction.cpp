#include "history/redaction.h"
#include "core/utf8.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace cmdai::history {
namespace {

struct Rule {
  const char* what;       // the kind of secret, for the reader of this table
  const char* pattern;    // RE2, matched on bytes
  int group;              // the capture that holds the secret; 0 for the whole match
  std::string_view keys;  // '|'-separated lower-case words, one of which every match contains
};

// A quoted or bare value: "…", '…' or a run of non-space characters.
#define CMDAI_VALUE R"(("[^"]*"|'[^']*'|[^\s'"&;|]+))"
// The same, but never an empty quoted string ('' is no secret: ssh-keygen -N '').
#define CMDAI_SECRET R"(("[^"]+"|'[^']+'|[^\s'"&;|]+))"
// The rest of one simple command: up to a newline, ';', '|' or '&'.
#define CMDAI_ARGS R"([^\n;|&]*?)"

// One row per shape of secret. A rule that names a program only looks at
// that program's own arguments (CMDAI_ARGS stops at the next command).
// A rule runs only on text that holds one of its keys, in any case, so most
// rules are never compiled in a process: compiling all of them costs more
// than everything else a short cmdai process does.
constexpr std::array<Rule, 29> k_rules{{
    {"private key block", R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$))",
     0, "private key"},
    {"AWS access key id", R"(\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b)", 0,
     "akia|asia|agpa|aida|aroa|anpa|anva|aipa"},
    {"GitHub token", R"(\bgh[pousr]_[A-Za-z0-9]{30,255}\b)", 0, "ghp_|gho_|ghu_|ghs_|ghr_"},
    {"GitHub fine-grained token", R"(\bgithub_pat_[A-Za-z0-9_]{22,255}\b)", 0, "github_pat_"},
    {"GitLab token", R"(\bglpat-[A-Za-z0-9_\-]{20,}\b)", 0, "glpat-"},
    {"Slack token", R"(\bxox[abposr]-[A-Za-z0-9\-]{10,})", 0, "xox"},
    {"OpenAI/Anthropic key", R"(\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,})", 0, "sk-"},
    {"Stripe key", R"(\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,})", 0, "_live_|_test_"},
    {"JWT", R"(\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})", 0, "eyj"},
    {"Authorization header",
     R"((?i)(?:authorization|proxy-authorization)\s*:\s*(?:(?:bearer|basic|token|digest)\s+)?([^'"\r\n]+))", 1,
     "authorization"},
    {"API key header", R"((?i)\b(?:x-api-key|api-key|x-auth-token|private-token)\s*:\s*([^'"\s]+))", 1,
     "api-key|auth-token|private-token"},
    {"Cookie header", R"((?i)\b(?:set-)?cookie\s*:\s*([^'"\r\n]+))", 1, "cookie"},
    {"cookie option", R"(--cookie(?:=|\s+))" CMDAI_SECRET, 1, "--cookie"},
    {"password in a URL", R"([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@'"]+:([^/\s@'"]+)@)", 1, "://"},
    {"secret assignment",
     R"((?i)(?:^|[^A-Za-z0-9])(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|secret[_\-]?key|client[_\-]?secret|auth[_\-]?token)\s*[=:]\s*)" CMDAI_VALUE,
     1, "pass|pwd|secret|token|api|access"},
    {"secret environment variable",
     R"(\b[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|APIKEY|API_KEY|_KEY|_PASS|_PWD|_CREDENTIALS?)[A-Z0-9_]*=)" CMDAI_SECRET,
     1, "pass|secret|token|apikey|_key|_pwd|_credential"},
    {"secret option",
     R"((?i)--(?:password|passwd|pass|token|api-key|apikey|secret|access-token|auth-token|client-secret)(?:=|\s+))" CMDAI_VALUE,
     1, "--pass|--token|--api|--secret|--access|--auth|--client"},
    {"user:password option",
     R"((?:\bcurl\b)" CMDAI_ARGS R"(\s-u\s*|--(?:proxy-)?user(?:=|\s+))['"]?[^\s:'"]*:([^\s'"]+))", 1, "curl|-user"},
    {"mysql -p, sshpass -p",
     R"((?:\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n;|&]*?\s-p([^\s'"]+))|(?:\bsshpass\s+-p\s*([^\s'"]+)))",
     -1, "mysql|mariadb|sshpass"},
    {"docker/podman login -p", R"(\b(?:docker|podman|buildah|skopeo)\s+login\b)" CMDAI_ARGS R"(\s-p\s*)" CMDAI_SECRET,
     1, "login"},
    {"openssl pass:", R"(-(?:passout|passin|pass|password|k)\s+pass:)" CMDAI_SECRET, 1, "pass:"},
    {"redis-cli -a", R"(\bredis-cli\b)" CMDAI_ARGS R"(\s-a\s*)" CMDAI_SECRET, 1, "redis-cli"},
    {"npm _authToken", R"((?i)(?:_authToken|_auth|_password)\s*[=\s]\s*)" CMDAI_SECRET, 1, "_auth|_password"},
    {"aws configure set secret",
     R"(\baws\s+configure\s+set\s+(?:\S+\.)?(?:aws_secret_access_key|aws_session_token)(?:\s+|=))" CMDAI_SECRET, 1,
     "aws"},
    {"vault login TOKEN", R"(\bvault\s+login\s+(?:-\S+\s+)*("[^"]+"|'[^']+'|[^\s'"&;|=\-][^\s'"&;|=]*)(?:\s|$|[;&|]))",
     1, "vault"},
    {"ssh-keygen passphrase", R"(\bssh-keygen\b)" CMDAI_ARGS R"(\s-[NP]\s*)" CMDAI_SECRET, 1, "ssh-keygen"},
    {"htpasswd -b password",
     R"(\bhtpasswd\b[^\n;|&<>]*\s-[A-Za-z]*b[A-Za-z]*\s[^\n;|&<>]*?\s("[^"]*"|'[^']*'|[^\s'"&;|<>]+)\s*(?:$|[\n;|&<>]|\d?>))",
     1, "htpasswd"},
    {"password piped to sudo -S",
     R"(\b(?:echo|printf)\s+(?:-\S+\s+)*)" CMDAI_SECRET R"(\s*\|\s*sudo\b[^\n;|&]*\s-[A-Za-z]*S)", 1, "sudo"},
    {"here-string to sudo -S", R"(\bsudo\b[^\n;|&]*\s-[A-Za-z]*S\b[^\n;|&]*<<<\s*)" CMDAI_SECRET, 1, "sudo"},
}};

#undef CMDAI_ARGS
#undef CMDAI_SECRET
#undef CMDAI_VALUE

const re2::RE2& compiled(std::size_t rule) {
  static std::array<std::once_flag, k_rules.size()> once;
  static std::array<std::unique_ptr<re2::RE2>, k_rules.size()> rules;
  std::call_once(once[rule], [rule] {
    re2::RE2::Options options;
    options.set_encoding(re2::RE2::Options::EncodingLatin1);  // bytes in, bytes out: invalid UTF-8 is fine
    options.set_log_errors(false);
    rules[rule] = std::make_unique<re2::RE2>(k_rules[rule].pattern, options);
  });
  return *rules[rule];
}

bool holds_a_key(std::string_view lower, std::string_view keys) {
  while (!keys.empty()) {
    const std::size_t bar = std::min(keys.find('|'), keys.size());
    if (lower.find(keys.substr(0, bar)) != std::string_view::npos) return true;
    keys.remove_prefix(std::min(bar + 1, keys.size()));
  }
  return false;
}

// Replaces the secret part of each match of one rule. group -1: the first
// capture that participated in the match.
std::size_t apply(const re2::RE2& re, int group, std::string& text) {
  if (!re.ok()) return 0;
  const int captures = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> match(static_cast<std::size_t>(captures) + 1);
  std::string out;
  std::size_t count = 0;
  std::size_t position = 0;
  while (position <= text.size() &&
         re.Match(text, position, text.size(), re2::RE2::UNANCHORED, match.data(), captures + 1)) {
    re2::StringPiece secret = match[0];
    if (group > 0) secret = match[static_cast<std::size_t>(group)];
    for (int g = 1; group < 0 && g <= captures; ++g) {
      if (match[static_cast<std::size_t>(g)].data() == nullptr) continue;
      secret = match[static_cast<std::size_t>(g)];
      break;
    }
    const auto begin = static_cast<std::size_t>(secret.data() - text.data());
    const auto match_end = static_cast<std::size_t>(match[0].data() - text.data()) + match[0].size();
    if (secret.data() == nullptr || secret.empty() || std::string_view(secret.data(), secret.size()) == k_redacted) {
      out.append(text, position, match_end - position);
    } else {
      out.append(text, position, begin - position);
      out += k_redacted;
      out.append(text, begin + secret.size(), match_end - begin - secret.size());
      ++count;
    }
    if (match_end == position) {  // an empty match: step over one byte
      if (position < text.size()) out += text[position];
      ++position;
      continue;
    }
    position = match_end;
  }
  if (count == 0) return 0;
  if (position < text.size()) out.append(text, position, std::string::npos);
  text = std::move(out);
  return count;
}

}  // namespace

namespace {

// Runs every rule whose key words are in text, each on what the ones before
// it left; text is only written when a secret is found.
std::size_t redact_in_place(std::string& text) {
  std::size_t secrets = 0;
  std::string lower = ascii_lower(text);
  for (std::size_t i = 0; i < k_rules.size(); ++i) {
    if (!holds_a_key(lower, k_rules[i].keys)) continue;
    const std::size_t found = apply(compiled(i), k_rules[i].group, text);
    if (found == 0) continue;
    secrets += found;
    lower = ascii_lower(text);
  }
  return secrets;
}

}  // namespace

Redaction redact_secrets(std::string_view text) {
  Redaction result{std::string(text), 0};
  result.secrets = redact_in_place(result.text);
  return result;
}

namespace {

// The fields an entry's command and directory leave: one way of redacting
// for all of them.
std::size_t redact_other_fields(CommandHistoryEntry& entry) {
  std::size_t secrets = 0;
  if (entry.user_input) secrets += redact_in_place(*entry.user_input);
  secrets += redact_in_place(entry.explanation);
  for (auto& tag : entry.tags) secrets += redact_in_place(tag);
  return secrets;
}

}  // namespace

std::size_t redact_entry(CommandHistoryEntry& entry) {
  return redact_in_place(entry.command) + redact_in_place(entry.working_directory) + redact_other_fields(entry);
}

std::size_t RedactionMemo::redact(std::string& text) {
  auto it = m_done.find(text);
  if (it == m_done.end()) {
    if (m_done.size() >= k_memo_texts) m_done.clear();
    Redaction done{text, 0};
    done.secrets = redact_in_place(done.text);
    if (done.secrets == 0) done.text.clear();
    it = m_done.emplace(text, std::move(done)).first;
  }
  if (it->second.secrets > 0) text = it->second.text;
  return it->second.secrets;
}

std::size_t redact_entry(CommandHistoryEntry& entry, RedactionMemo& memo) {
  return memo.redact(entry.command) + memo.redact(entry.working_directory) + redact_other_fields(entry);
}

}  // namespace cmdai::history
