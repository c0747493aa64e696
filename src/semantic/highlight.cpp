#include "semantic/highlight.h"

#include <algorithm>
#include <cctype>

namespace cmdai::semantic {
namespace {

constexpr std::size_t k_before = 60;  // bytes kept before the first match
constexpr std::size_t k_after = 160;  // ... and after it

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// text with matching words marked; first is where the first mark starts.
std::string mark(std::string_view text, const std::vector<std::string>& terms, std::size_t& first) {
  std::string out;
  first = std::string::npos;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_byte(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word_byte(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    const bool hit = std::find(terms.begin(), terms.end(), lowercase(word)) != terms.end();
    if (hit && first == std::string::npos) first = out.size();
    out += hit ? "[" + std::string(word) + "]" : std::string(word);
    i = end;
  }
  return out;
}

std::string window(const std::string& text, std::size_t first) {
  if (text.size() <= k_before + k_after) return text;
  std::size_t begin = first > k_before ? first - k_before : 0;
  std::size_t stop = std::min(text.size(), begin + k_before + k_after);
  while (begin > 0 && is_continuation(text[begin])) --begin;  // whole UTF-8 sequences
  while (stop < text.size() && is_continuation(text[stop])) ++stop;
  return (begin > 0 ? "..." : "") + text.substr(begin, stop - begin) + (stop < text.size() ? "..." : "");
}

}  // namespace

std::vector<std::string> expression_terms(std::string_view expression) {
  std::vector<std::string> terms;
  bool quoted = false;
  std::string token;
  auto flush = [&] {
    if (!token.empty() && std::find(terms.begin(), terms.end(), token) == terms.end()) terms.push_back(token);
    token.clear();
  };
  for (char c : expression) {
    if (c == '"') {
      flush();
      quoted = !quoted;
    } else if (quoted && is_word_byte(c)) {
      token += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return terms;
}

std::string highlight_terms(const CommandHistoryEntry& entry, const std::vector<std::string>& terms) {
  if (terms.empty()) return "";
  std::string tags;
  for (const auto& tag : entry.tags) tags += (tags.empty() ? "" : " ") + tag;
  const std::string request = entry.user_input.value_or("");
  for (std::string_view field : {std::string_view(entry.command), std::string_view(request),
                                 std::string_view(entry.explanation), std::string_view(tags)}) {
    std::size_t first = std::string::npos;
    const std::string marked = mark(field, terms, first);
    if (first != std::string::npos) return window(marked, first);
  }
  return "";
}

}  // namespace cmdai::semantic
