#include "rules/vocabulary.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "rules/template_table.h"

namespace cmdai::rules {
namespace {

enum class Avoided { include, skip, required_only };

void add_words(std::string_view spec, std::unordered_set<std::string_view>& words, Avoided avoided) {
  std::size_t start = 0;
  bool in_avoided = false;
  bool in_optional = false;
  while (start < spec.size()) {
    const auto end = std::min(spec.find_first_of(" |", start), spec.size());
    if (start == 0 || spec[start - 1] == ' ') {
      in_avoided = spec[start] == '!';
      in_optional = spec[start] == '?';
    }
    std::string_view w = spec.substr(start, end - start);
    if (!w.empty() && (w.front() == '?' || w.front() == '!')) w.remove_prefix(1);
    const bool wanted = avoided == Avoided::include || (!in_avoided && (avoided == Avoided::skip || !in_optional));
    if (wanted && !w.empty() && w.front() != '$' && w.back() != '*') words.insert(w);
    start = end + 1;
  }
}

std::unordered_set<std::string_view> collect(Avoided avoided) {
  std::unordered_set<std::string_view> all;
  for (auto table : {find_templates(), text_templates(), archive_templates(), disk_templates(), process_templates(),
                     network_templates(), git_templates(), permission_templates(), system_templates(), date_templates(),
                     environment_templates(), container_templates(), package_templates()}) {
    for (const TemplateRow& row : table) add_words(row.words, all, avoided);
  }
  return all;
}

}  // namespace

bool is_template_word(std::string_view word) {
  static const auto words = collect(Avoided::include);
  return words.contains(word);
}

bool is_meaning_word(std::string_view word) {
  static const auto words = collect(Avoided::skip);
  return words.contains(word);
}

bool is_intent_word(std::string_view word) {
  static const auto words = collect(Avoided::required_only);
  return words.contains(word);
}

}  // namespace cmdai::rules
