#include "history/highlight.h"
#include "core/utf8.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace cmdai::history {
namespace {

constexpr std::size_t k_before = 60;  // bytes kept before the first match
constexpr std::size_t k_after = 160;  // ... and after it

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

bool matches(const std::string& word, const std::vector<std::string>& terms, TermMatch match) {
  if (match == TermMatch::exact) return std::find(terms.begin(), terms.end(), word) != terms.end();
  return std::any_of(terms.begin(), terms.end(), [&](const std::string& t) { return word.rfind(t, 0) == 0; });
}

// text with matching words marked; first is where the first mark starts.
std::string mark(std::string_view text, const std::vector<std::string>& terms, TermMatch match, std::size_t& first) {
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
    const bool hit = matches(ascii_lower(word), terms, match);
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
  while (begin > 0 && is_continuation(text[begin])) --begin;
  while (stop < text.size() && is_continuation(text[stop])) ++stop;
  return (begin > 0 ? "..." : "") + text.substr(begin, stop - begin) + (stop < text.size() ? "..." : "");
}

}  // namespace

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || u >= 0x80;
}

std::vector<std::string> word_parts(std::string_view text) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (is_word_byte(c)) {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!parts.back().empty()) {
      parts.emplace_back();
    }
  }
  if (parts.back().empty()) parts.pop_back();
  return parts;
}

std::string highlight_entry(const CommandHistoryEntry& entry, const std::vector<std::string>& terms, TermMatch match) {
  if (terms.empty()) return "";
  std::string tags;
  for (const auto& tag : entry.tags) tags += (tags.empty() ? "" : " ") + tag;
  // A named copy: a view of value_or()'s temporary would dangle.
  const std::string request = entry.user_input.value_or("");
  for (std::string_view field : {std::string_view(entry.command), std::string_view(request),
                                 std::string_view(entry.explanation), std::string_view(tags)}) {
    std::size_t first = std::string::npos;
    const std::string marked = mark(field, terms, match, first);
    if (first != std::string::npos) return window(marked, first);
  }
  return "";
}

std::string unmarked_context(const CommandHistoryEntry& entry) { return window(entry.command, 0); }

}  // namespace cmdai::history
