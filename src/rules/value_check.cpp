#include "rules/value_check.h"

#include <algorithm>
#include <cctype>

#include "rules/names.h"

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

// A number is carried as a whole run of digits: PID 4242 is not in 14242.
bool carries_number(const std::string& command, long number) {
  const std::string digits = std::to_string(number);
  for (auto at = command.find(digits); at != std::string::npos; at = command.find(digits, at + 1)) {
    const auto end = at + digits.size();
    const bool starts = at == 0 || !std::isdigit(static_cast<unsigned char>(command[at - 1]));
    const bool ends = end == command.size() || !std::isdigit(static_cast<unsigned char>(command[end]));
    if (starts && ends) return true;
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
  for (const auto* value : {&slots.url, &slots.host, &slots.remote, &slots.date, &slots.time_zone, &slots.assignment}) {
    if (*value) check(**value);
  }
  for (const auto& value : slots.further_values) check(value);
  // Users, groups, processes, packages, branches, containers, services:
  // the words no template gives meaning to.
  for (const auto& name : free_names(slots)) check(name);
  auto check_number = [&](long number) {
    const std::string text = std::to_string(number);
    if (!carries_number(plain, number) && std::find(missing.begin(), missing.end(), text) == missing.end()) {
      missing.push_back(text);
    }
  };
  // Only numbers typed as digits: "squash into one" names no 1.
  auto typed = [&](long number) {
    return std::any_of(slots.words.begin(), slots.words.end(),
                       [&](const Word& w) { return carries_number(w.raw, number); });
  };
  for (long number : slots.numbers) {
    if (typed(number)) check_number(number);
  }
  if (slots.port) check_number(*slots.port);
  return missing;
}

std::vector<std::string> missing_values(std::string_view request, std::string_view command) {
  const Slots slots = extract_slots(request);
  if (slots.unbalanced_quote) return {};
  return missing_values(slots, command);
}

}  // namespace cmdai::rules
