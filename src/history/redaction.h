#pragma once
// Secret redaction: what privacy_mode means for history. Runs on every text
// field of an entry before anything is written to the database.
//
// Recognised: API keys and tokens of well-known shapes (AWS access keys,
// GitHub, GitLab, Slack, OpenAI/Anthropic-style "sk-" keys, JWTs), private
// key blocks, values of password=/token=/secret=/api_key= assignments and of
// --password/--token/--api-key style options, mysql-style -pSECRET and
// sshpass -p, credentials in URLs (user:pass@), and Authorization/API-key
// headers. Each secret becomes k_redacted; the text around it is kept.
//
// Thread safety: redact_secrets() may be called from several threads.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/entities.h"

namespace cmdai::history {

enum class PrivacyMode {
  off,     // store commands as given
  redact,  // replace secrets with k_redacted before storing (default)
  skip,    // do not store entries that contain a secret at all
};

inline constexpr std::string_view k_redacted = "<redacted>";

struct Redaction {
  std::string text;
  std::size_t secrets = 0;  // how many secrets were replaced
};

Redaction redact_secrets(std::string_view text);

// Redacts every text field of the entry (command, user input, explanation,
// directory, tags) in place; returns how many secrets were replaced.
std::size_t redact_entry(CommandHistoryEntry& entry);

// The redactions of the texts seen so far, so that a text seen again is
// looked up instead of scanned by every rule: an import redacts the same
// few thousand commands and directories hundreds of thousands of times.
// Holds at most k_memo_texts texts (then starts over). Not thread-safe: one
// per thread.
class RedactionMemo {
 public:
  static constexpr std::size_t k_memo_texts = 1 << 18;

  // What redact_secrets(text) would make of text, in place; returns how many
  // secrets were replaced.
  std::size_t redact(std::string& text);

 private:
  // By the text as given; a text without secrets keeps an empty `text`.
  std::unordered_map<std::string, Redaction> m_done;
};

// redact_entry(entry), with the command and the directory (the fields an
// import repeats) redacted through `memo`.
std::size_t redact_entry(CommandHistoryEntry& entry, RedactionMemo& memo);

}  // namespace cmdai::history
