#include "llm/rules/vocabulary.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "llm/rules/template_table.h"

namespace cmdai::llm::rules {
namespace {

void add_words(std::string_view spec, std::unordered_set<std::string_view>& words) {
  std::size_t start = 0;
  while (start < spec.size()) {
    const auto end = std::min(spec.find_first_of(" |", start), spec.size());
    std::string_view w = spec.substr(start, end - start);
    if (!w.empty() && (w.front() == '?' || w.front() == '!')) w.remove_prefix(1);
    if (!w.empty() && w.front() != '$' && w.back() != '*') words.insert(w);
    start = end + 1;
  }
}

}  // namespace

bool is_template_word(std::string_view word) {
  static const auto words = [] {
    std::unordered_set<std::string_view> all;
    for (auto table : {find_templates(), text_templates(), archive_templates(), disk_templates(), process_templates(),
                       network_templates(), git_templates(), permission_templates(), system_templates(),
                       date_templates(), environment_templates(), container_templates(), package_templates()}) {
      for (const TemplateRow& row : table) add_words(row.words, all);
    }
    return all;
  }();
  return words.contains(word);
}

}  // namespace cmdai::llm::rules
