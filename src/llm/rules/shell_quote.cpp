#include "llm/rules/shell_quote.h"

#include <algorithm>
#include <cctype>

namespace cmdai::llm::rules {
namespace {

bool is_plain(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  constexpr std::string_view k_plain = "_./:@%+=,-";
  return k_plain.find(c) != std::string_view::npos;
}

}  // namespace

std::string shell_quote(std::string_view value) {
  const bool plain = !value.empty() && value.front() != '-' && std::all_of(value.begin(), value.end(), is_plain);
  if (plain) return std::string(value);
  return shell_quote_always(value);
}

std::string shell_quote_always(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string shell_quote_path(std::string_view path) {
  if (path == "~") return "~";
  if (path.starts_with("~/")) {
    if (path.size() == 2) return "~/";
    return "~/" + shell_quote(path.substr(2));
  }
  // A relative path starting with '-' would read as an option.
  if (path.starts_with('-')) return shell_quote("./" + std::string(path));
  return shell_quote(path);
}

}  // namespace cmdai::llm::rules
