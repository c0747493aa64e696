#include "core/shell_quote.h"

#include <algorithm>

namespace cmdai {
namespace {

bool is_plain(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  constexpr std::string_view k_plain = "_./:@%+=,-";
  return k_plain.find(c) != std::string_view::npos;
}

}  // namespace

std::string shell_quote(std::string_view value, ShellDialect dialect) {
  // A leading '=' is zsh's equals expansion (=ls becomes /usr/bin/ls).
  const bool plain = !value.empty() && value.front() != '=' && std::all_of(value.begin(), value.end(), is_plain);
  if (plain) return std::string(value);
  return shell_quote_always(value, dialect);
}

std::string shell_quote_always(std::string_view value, ShellDialect dialect) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += dialect == ShellDialect::fish ? "\\'" : "'\\''";
    } else if (c == '\\' && dialect == ShellDialect::fish) {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string shell_quote_path(std::string_view path, ShellDialect dialect) {
  if (path == "~") return "~";
  if (path.starts_with("~/")) {
    if (path.size() == 2) return "~/";
    return "~/" + shell_quote(path.substr(2), dialect);
  }
  if (path.starts_with('-')) return shell_quote("./" + std::string(path), dialect);
  return shell_quote(path, dialect);
}

}  // namespace cmdai
