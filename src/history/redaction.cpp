#include "history/redaction.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace cmdai::history {
namespace {

struct Rule {
  const char* what;     // the kind of secret, for the reader of this table
  const char* pattern;  // RE2, matched on bytes
  int group;            // the capture that holds the secret; 0 for the whole match
};

// A quoted or bare value: "…", '…' or a run of non-space characters.
#define CMDAI_VALUE R"(("[^"]*"|'[^']*'|[^\s'"&;|]+))"
// The same, but never an empty quoted string ('' is no secret: ssh-keygen -N '').
#define CMDAI_SECRET R"(("[^"]+"|'[^']+'|[^\s'"&;|]+))"
// The rest of one simple command: up to a newline, ';', '|' or '&'.
#define CMDAI_ARGS R"([^\n;|&]*?)"

// One row per shape of secret. A rule that names a program only looks at
// that program's own arguments (CMDAI_ARGS stops at the next command).
constexpr std::array<Rule, 29> k_rules{{
    {"private key block", R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$))",
     0},
    {"AWS access key id", R"(\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b)", 0},
    {"GitHub token", R"(\bgh[pousr]_[A-Za-z0-9]{30,255}\b)", 0},
    {"GitHub fine-grained token", R"(\bgithub_pat_[A-Za-z0-9_]{22,255}\b)", 0},
    {"GitLab token", R"(\bglpat-[A-Za-z0-9_\-]{20,}\b)", 0},
    {"Slack token", R"(\bxox[abposr]-[A-Za-z0-9\-]{10,})", 0},
    {"OpenAI/Anthropic key", R"(\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,})", 0},
    {"Stripe key", R"(\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,})", 0},
    {"JWT", R"(\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})", 0},
    {"Authorization header",
     R"((?i)(?:authorization|proxy-authorization)\s*:\s*(?:(?:bearer|basic|token|digest)\s+)?([^'"\r\n]+))", 1},
    {"API key header", R"((?i)\b(?:x-api-key|api-key|x-auth-token|private-token)\s*:\s*([^'"\s]+))", 1},
    {"Cookie header", R"((?i)\b(?:set-)?cookie\s*:\s*([^'"\r\n]+))", 1},
    {"cookie option", R"(--cookie(?:=|\s+))" CMDAI_SECRET, 1},
    {"password in a URL", R"([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@'"]+:([^/\s@'"]+)@)", 1},
    {"secret assignment",
     R"((?i)(?:^|[^A-Za-z0-9])(?:password|passwd|pwd|secret|token|api[_\-]?key|access[_\-]?key|secret[_\-]?key|client[_\-]?secret|auth[_\-]?token)\s*[=:]\s*)" CMDAI_VALUE,
     1},
    {"secret environment variable",
     R"(\b[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|APIKEY|API_KEY|_KEY|_PASS|_PWD|_CREDENTIALS?)[A-Z0-9_]*=)" CMDAI_SECRET,
     1},
    {"secret option",
     R"((?i)--(?:password|passwd|pass|token|api-key|apikey|secret|access-token|auth-token|client-secret)(?:=|\s+))" CMDAI_VALUE,
     1},
    {"user:password option",
     R"((?:\bcurl\b)" CMDAI_ARGS R"(\s-u\s*|--(?:proxy-)?user(?:=|\s+))['"]?[^\s:'"]*:([^\s'"]+))", 1},
    {"mysql -p, sshpass -p",
     R"((?:\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n;|&]*?\s-p([^\s'"]+))|(?:\bsshpass\s+-p\s*([^\s'"]+)))",
     -1},
    {"docker/podman login -p", R"(\b(?:docker|podman|buildah|skopeo)\s+login\b)" CMDAI_ARGS R"(\s-p\s*)" CMDAI_SECRET,
     1},
    {"openssl pass:", R"(-(?:passout|passin|pass|password|k)\s+pass:)" CMDAI_SECRET, 1},
    {"redis-cli -a", R"(\bredis-cli\b)" CMDAI_ARGS R"(\s-a\s*)" CMDAI_SECRET, 1},
    {"npm _authToken", R"((?i)(?:_authToken|_auth|_password)\s*[=\s]\s*)" CMDAI_SECRET, 1},
    {"aws configure set secret",
     R"(\baws\s+configure\s+set\s+(?:\S+\.)?(?:aws_secret_access_key|aws_session_token)(?:\s+|=))" CMDAI_SECRET, 1},
    {"vault login TOKEN", R"(\bvault\s+login\s+(?:-\S+\s+)*("[^"]+"|'[^']+'|[^\s'"&;|=\-][^\s'"&;|=]*)(?:\s|$|[;&|]))",
     1},
    {"ssh-keygen passphrase", R"(\bssh-keygen\b)" CMDAI_ARGS R"(\s-[NP]\s*)" CMDAI_SECRET, 1},
    {"htpasswd -b password",
     R"(\bhtpasswd\b[^\n;|&<>]*\s-[A-Za-z]*b[A-Za-z]*\s[^\n;|&<>]*?\s("[^"]*"|'[^']*'|[^\s'"&;|<>]+)\s*(?:$|[\n;|&<>]|\d?>))",
     1},
    {"password piped to sudo -S",
     R"(\b(?:echo|printf)\s+(?:-\S+\s+)*)" CMDAI_SECRET R"(\s*\|\s*sudo\b[^\n;|&]*\s-[A-Za-z]*S)", 1},
    {"here-string to sudo -S", R"(\bsudo\b[^\n;|&]*\s-[A-Za-z]*S\b[^\n;|&]*<<<\s*)" CMDAI_SECRET, 1},
}};

#undef CMDAI_ARGS
#undef CMDAI_SECRET
#undef CMDAI_VALUE

re2::RE2::Options rule_options() {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingLatin1);  // bytes in, bytes out: invalid UTF-8 is fine
  options.set_log_errors(false);
  return options;
}

const std::vector<std::unique_ptr<re2::RE2>>& compiled() {
  static const auto rules = [] {
    std::vector<std::unique_ptr<re2::RE2>> out;
    for (const Rule& rule : k_rules) out.push_back(std::make_unique<re2::RE2>(rule.pattern, rule_options()));
    return out;
  }();
  return rules;
}

// Every rule in one automaton: a single pass tells whether any rule matches
// at all. nullptr when it could not be built (then every rule runs).
const re2::RE2::Set* any_rule() {
  static const auto set = []() -> std::unique_ptr<re2::RE2::Set> {
    re2::RE2::Options options = rule_options();
    options.set_max_mem(std::int64_t{64} << 20);  // the bounded repeats make a large automaton
    auto out = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
    for (const Rule& rule : k_rules) {
      if (out->Add(rule.pattern, nullptr) < 0) return nullptr;
    }
    if (!out->Compile()) return nullptr;
    return out;
  }();
  return set.get();
}

// False only when no rule can match text. Most text holds no secret, and
// then the rules need not run one by one; when one may match, all of them
// run in order, exactly as without this check.
bool may_hold_secret(std::string_view text) {
  const re2::RE2::Set* set = any_rule();
  if (set == nullptr) return true;
  re2::RE2::Set::ErrorInfo error{};
  if (set->Match(text, nullptr, &error)) return true;
  return error.kind != re2::RE2::Set::kNoError;  // the automaton gave up: ask every rule
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

Redaction redact_secrets(std::string_view text) {
  Redaction result{std::string(text), 0};
  if (!may_hold_secret(text)) return result;
  const auto& rules = compiled();
  for (std::size_t i = 0; i < rules.size(); ++i) result.secrets += apply(*rules[i], k_rules[i].group, result.text);
  return result;
}

std::size_t redact_entry(CommandHistoryEntry& entry) {
  std::size_t secrets = 0;
  auto clean = [&](std::string& text) {
    if (!may_hold_secret(text)) return;
    auto redacted = redact_secrets(text);
    secrets += redacted.secrets;
    if (redacted.secrets > 0) text = std::move(redacted.text);
  };
  clean(entry.command);
  if (entry.user_input) clean(*entry.user_input);
  clean(entry.explanation);
  clean(entry.working_directory);
  for (auto& tag : entry.tags) clean(tag);
  return secrets;
}

}  // namespace cmdai::history
