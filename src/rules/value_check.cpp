#include "rules/value_check.h"

#include <algorithm>

namespace cmdai::rules {
namespace {

// The text with shell quoting taken away: quote marks and backslashes
// dropped, so 'my file.txt', "my file.txt" and my\ file.txt read alike.
std::string unquoted(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\'' && c != '"' && c != '\\') out += c;
  }
  return out;
}

bool carries(const std::string& command, std::string_view value) {
  std::string wanted = unquoted(value);
  while (wanted.size() > 1 && wanted.back() == '/') wanted.pop_back();
  if (wanted.empty() || command.find(wanted) != std::string::npos) return true;
  if (wanted.starts_with("~/")) {
    const std::string rest = wanted.substr(1);
    return command.find("$HOME" + rest) != std::string::npos || command.find("${HOME}" + rest) != std::string::npos;
  }
  return false;
}

}  // namespace

std::vector<std::string> missing_values(const Slots& slots, std::string_view command) {
  const std::string plain = unquoted(command);
  std::vector<std::string> missing;
  auto check = [&](const std::string& value) {
    if (!carries(plain, value) && std::find(missing.begin(), missing.end(), value) == missing.end()) {
      missing.push_back(value);
    }
  };
  for (const auto& file : slots.files) check(file);
  for (const auto& path : slots.paths) check(path);
  for (const auto& text : slots.quoted) check(text);
  if (slots.url) check(*slots.url);
  return missing;
}

std::vector<std::string> missing_values(std::string_view request, std::string_view command) {
  const Slots slots = extract_slots(request);
  if (slots.unbalanced_quote) return {};
  return missing_values(slots, command);
}

}  // namespace cmdai::rules
