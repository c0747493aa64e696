#pragma once
// The shell-domain concept lexicon: everyday words linked to the commands,
// flags and files that do that job, so a search for "free space" can find
// `df -h` without an embedding model.

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

std::span<const Concept> concept_lexicon();

// The command terms for every concept whose phrases occur in the query.
std::vector<std::string> expand_query(std::string_view query);

}  // namespace cmdai::semantic
