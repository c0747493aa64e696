#include "semantic/highlight.h"

#include <algorithm>

#include "history/highlight.h"

namespace cmdai::semantic {
using history::is_word_byte;

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
  return history::highlight_entry(entry, terms, history::TermMatch::exact);
}

}  // namespace cmdai::semantic
