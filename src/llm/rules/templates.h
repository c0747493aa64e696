#pragma once
// The offline template library: each template names the words a request must
// contain (groups of alternatives) and builds a command from the slots.

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llm/backend.h"
#include "llm/rules/slots.h"

namespace cmdai::llm::rules {

struct Answer {
  std::string command;
  std::string explanation;
};

struct Template {
  std::string_view id;
  std::string_view category;
  // Every group must be matched by at least one of its words; words ending
  // in '*' match as prefixes.
  std::vector<std::vector<std::string_view>> required;
  // Words that count against this template (it is the wrong one).
  std::vector<std::string_view> excluded;
  // nullopt when a needed slot is missing and has no safe default.
  std::function<std::optional<Answer>(const Slots&, Userland)> build;
};

std::span<const Template> template_library();

struct Match {
  const Template* tmpl = nullptr;
  Answer answer;
  double confidence = 0;
};

// The best template for the request, or nullopt below the threshold.
std::optional<Match> match_request(std::string_view request, Userland userland, double threshold = 0.5);

}  // namespace cmdai::llm::rules
