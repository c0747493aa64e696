#pragma once
// The shell-domain concept lexicon: everyday words linked to the commands,
// flags and files that do that job, so a search for "free space" can find
// `df -h` without an embedding model.
//
// Matching works on normalised words (lower case, letters and digits,
// light suffix stripping: "listening" ~ "listen", "files" ~ "file"): a
// phrase matches when all its words occur in the query, in any order. Terms are
// what appears in commands; a term with a space is a phrase ("etc hosts").

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cmdai::semantic {

struct Concept {
  std::string_view name;
  std::vector<std::string_view> phrases;  // how people say it
  std::vector<std::string_view> terms;    // what appears in commands
};

// One concept as written in the tables: '|' separates phrases and terms.
struct ConceptRow {
  std::string_view name;
  std::string_view phrases;
  std::string_view terms;
};

// Every concept, parsed once from the tables in lexicon_*.cpp.
std::span<const Concept> concept_lexicon();

struct ConceptMatch {
  const Concept* concept_entry = nullptr;
  std::string_view phrase;         // the phrase that matched
  std::vector<std::string> words;  // its normalised words (consumed from the query)
};

// The concepts whose phrases occur in the query, in lexicon order, each once.
std::vector<ConceptMatch> match_concepts(std::string_view query);

// The command terms for every concept whose phrases occur in the query,
// each term once.
std::vector<std::string> expand_query(std::string_view query);

// Lower-cased, suffix-stripped words of text (the unit phrases match on).
std::vector<std::string> normalized_words(std::string_view text);

// The tables, one per area of the shell (lexicon_<area>.cpp).
std::span<const ConceptRow> file_concepts();
std::span<const ConceptRow> system_concepts();
std::span<const ConceptRow> network_concepts();
std::span<const ConceptRow> development_concepts();

}  // namespace cmdai::semantic
