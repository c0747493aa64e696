#pragma once
// The compiled template library and the matcher: picks the template that
// best explains a request, renders its command and explanation, and says how
// sure it is. Below the threshold it answers nothing rather than guess.
//
// Thread safety: the library is built once on first use (thread-safe static
// initialisation) and read-only afterwards; match_request may be called from
// several threads.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "rules/template_table.h"

namespace cmdai::rules {

struct Answer {
  std::string command;
  std::string explanation;
};

struct CompiledTemplate {
  const TemplateRow* row = nullptr;
  std::vector<std::vector<std::string_view>> required;  // each group needs one word
  std::vector<std::string_view> known;                  // words the template explains
  std::vector<std::string_view> avoided;                // words that rule it out
  std::vector<std::size_t> required_slots;              // SlotKind values
};

struct Library {
  std::vector<CompiledTemplate> templates;
  // Bytes held by the compiled structures and the row text they point into.
  std::size_t memory_bytes() const;
};

const Library& template_library();

struct Match {
  const CompiledTemplate* tmpl = nullptr;
  Answer answer;
  double confidence = 0;  // (0, 1]; 1 means every word and value is explained
};

inline constexpr double k_default_threshold = 0.66;
// A request typed as a command (typed_command.h) is answered with itself.
inline constexpr double k_typed_command_confidence = 0.9;

// The best template for the request, or nullopt when none reaches the
// threshold. A request that already is a command ("du -sh") is answered
// as typed, by the template "shell.as_typed". Input is any bytes; requests over 4 KiB, and requests with a
// quote that never closes, are refused.
std::optional<Match> match_request(std::string_view request, Userland userland, double threshold = k_default_threshold);

// The `limit` best candidates, best first, whatever their confidence: what
// the matcher weighed (for diagnostics and tests). Empty for refused input.
std::vector<Match> rank_request(std::string_view request, Userland userland, std::size_t limit);

}  // namespace cmdai::rules
