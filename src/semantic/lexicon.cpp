#include "semantic/lexicon.h"

#include <algorithm>
#include <cctype>

namespace cmdai::semantic {
namespace {

std::vector<std::string_view> split_bars(std::string_view text) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const auto bar = text.find('|');
    const auto part = text.substr(0, bar);
    if (!part.empty()) parts.push_back(part);
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return parts;
}

bool ends_with(const std::string& word, std::string_view suffix) {
  return word.size() >= suffix.size() && word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A deliberately small stemmer: the same on both sides, so only consistency
// matters, not linguistic accuracy.
std::string stem(std::string word) {
  if (word.size() > 4 && ends_with(word, "ies")) return word.substr(0, word.size() - 3) + "y";
  if (word.size() > 5 && ends_with(word, "ing")) return word.substr(0, word.size() - 3);
  if (word.size() > 4 && ends_with(word, "ed")) return word.substr(0, word.size() - 2);
  if (word.size() > 4 && (ends_with(word, "ches") || ends_with(word, "shes") || ends_with(word, "xes"))) {
    return word.substr(0, word.size() - 2);
  }
  if (word.size() > 3 && ends_with(word, "s") && !ends_with(word, "ss") && !ends_with(word, "us")) {
    return word.substr(0, word.size() - 1);
  }
  return word;
}

struct ParsedConcept {
  Concept concept_entry;
  std::vector<std::vector<std::string>> phrase_words;  // normalised, per phrase
};

const std::vector<ParsedConcept>& parsed_lexicon() {
  static const std::vector<ParsedConcept> parsed = [] {
    std::vector<ParsedConcept> out;
    for (auto table : {file_concepts(), system_concepts(), network_concepts(), development_concepts()}) {
      for (const ConceptRow& row : table) {
        ParsedConcept c{{row.name, split_bars(row.phrases), split_bars(row.terms)}, {}};
        for (auto phrase : c.concept_entry.phrases) c.phrase_words.push_back(normalized_words(phrase));
        out.push_back(std::move(c));
      }
    }
    return out;
  }();
  return parsed;
}

// Every word of the phrase occurs in the query, in any order: people say
// "changes put aside" as often as "put aside changes".
bool contains_all(const std::vector<std::string>& words, const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > words.size()) return false;
  return std::all_of(phrase.begin(), phrase.end(),
                     [&](const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); });
}

}  // namespace

std::vector<std::string> normalized_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(stem(std::move(word)));
    word.clear();
  };
  for (char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::span<const Concept> concept_lexicon() {
  static const std::vector<Concept> concepts = [] {
    std::vector<Concept> out;
    for (const auto& c : parsed_lexicon()) out.push_back(c.concept_entry);
    return out;
  }();
  return concepts;
}

std::vector<ConceptMatch> match_concepts(std::string_view query) {
  const auto words = normalized_words(query);
  const auto& parsed = parsed_lexicon();
  const auto concepts = concept_lexicon();
  std::vector<ConceptMatch> matches;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    for (std::size_t p = 0; p < parsed[i].phrase_words.size(); ++p) {
      if (!contains_all(words, parsed[i].phrase_words[p])) continue;
      matches.push_back({&concepts[i], parsed[i].concept_entry.phrases[p], parsed[i].phrase_words[p]});
      break;
    }
  }
  return matches;
}

std::vector<std::string> expand_query(std::string_view query) {
  std::vector<std::string> terms;
  for (const ConceptMatch& match : match_concepts(query)) {
    for (auto term : match.concept_entry->terms) {
      if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.emplace_back(term);
    }
  }
  return terms;
}

}  // namespace cmdai::semantic
