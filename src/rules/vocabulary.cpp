#include "rules/vocabulary.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/edit_distance.h"
#include "rules/template_table.h"
#include "rules/words.h"

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

// One edit (insert, delete, substitute) or two neighbours swapped
// ("prots", "insdie").
bool one_slip(std::string_view a, std::string_view b) {
  if (a.size() == b.size()) {
    std::size_t first = 0;
    while (first < a.size() && a[first] == b[first]) ++first;
    if (first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first] &&
        a.substr(first + 2) == b.substr(first + 2)) {
      return true;
    }
  }
  return edit_distance(a, b) <= 1;
}

namespace {

// Short words are left alone: "anna" or "api" one edit from a meaning word
// is still a name.
constexpr std::size_t k_shortest_typo = 5;

const std::vector<std::string_view>& typo_targets() {
  static const std::vector<std::string_view> words = [] {
    auto set = collect(Avoided::skip);
    for (auto form : known_word_forms()) set.insert(form);
    std::vector<std::string_view> long_words;
    for (auto w : set) {
      if (w.size() >= k_shortest_typo - 1) long_words.push_back(w);
    }
    // Sorted, so a typo one slip from two words is corrected the same way on every run.
    std::sort(long_words.begin(), long_words.end());
    return long_words;
  }();
  return words;
}

}  // namespace

std::optional<std::string_view> typo_correction(std::string_view word) {
  if (word.size() < k_shortest_typo) return std::nullopt;
  const auto& words = typo_targets();
  auto slip = [&](std::string_view w, std::size_t longer_by) {
    return w.size() == word.size() + longer_by && one_slip(w, word);
  };
  // A dropped letter is the commoner slip: "servce" is "service", not "serve".
  for (std::size_t longer_by : {1, 0}) {
    const auto it = std::find_if(words.begin(), words.end(), [&](std::string_view w) { return slip(w, longer_by); });
    if (it != words.end()) return *it;
  }
  const auto shorter = std::find_if(
      words.begin(), words.end(), [&](std::string_view w) { return w.size() + 1 == word.size() && one_slip(w, word); });
  if (shorter == words.end()) return std::nullopt;
  return *shorter;
}

bool is_typo_of_meaning_word(std::string_view word) { return typo_correction(word).has_value(); }

// "sorted", "accepts", "rotating": a form of a meaning word.
bool is_inflected_meaning_word(std::string_view word) {
  for (std::string_view suffix : {"s", "es", "ed", "d", "ing"}) {
    if (word.size() <= suffix.size() + 2 || !word.ends_with(suffix)) continue;
    const auto stem = word.substr(0, word.size() - suffix.size());
    if (is_meaning_word(stem)) return true;
    // "rotating" -> "rotate"
    if (suffix == "ing" || suffix == "ed") {
      if (is_meaning_word(std::string(stem) + "e")) return true;
    }
  }
  return false;
}

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
