#include "rules/decline_hint.h"

#include <algorithm>
#include <iterator>

#include "rules/slots.h"

namespace cmdai::rules {
namespace {

enum class Needs { file, process, name };  // name: a branch, package, service, container or image

struct HintRow {
  std::string_view verb;  // canonical word (words.cpp)
  std::string_view noun;  // canonical word that must be there too, or "" for the verb alone
  Needs needs;
  std::string_view hint;
};

constexpr HintRow k_hints[] = {
    {"delete", "file", Needs::file, "name the file, e.g. \"delete notes.txt\""},
    {"copy", "file", Needs::file, "name the file and where it goes, e.g. \"copy notes.txt to backup/\""},
    {"move", "file", Needs::file, "name the file and where it goes, e.g. \"move notes.txt to archive/\""},
    {"rename", "", Needs::file, "name the file and its new name, e.g. \"rename a.txt to b.txt\""},
    {"extract", "", Needs::file, "name the archive, e.g. \"extract site.tar.gz\""},
    {"kill", "process", Needs::process, "which process? give its PID or its name, e.g. \"kill process 4242\""},
    {"checkout", "branch", Needs::name, "which branch? e.g. \"switch to branch feature-x\""},
    {"switch", "branch", Needs::name, "which branch? e.g. \"switch to branch feature-x\""},
    {"merge", "branch", Needs::name, "which branch? e.g. \"merge branch feature-x\""},
    {"delete", "branch", Needs::name, "which branch? e.g. \"delete branch feature-x\""},
    {"install", "package", Needs::name, "which package? e.g. \"install the package htop\""},
    {"restart", "service", Needs::name, "which service? e.g. \"restart the nginx service\""},
    {"stop", "container", Needs::name, "which container? e.g. \"stop the container web-1\""},
    {"pull", "image", Needs::name, "which image? e.g. \"pull the image ubuntu:24.04\""},
};

bool has_word(const Slots& slots, std::string_view canon) {
  return std::any_of(slots.words.begin(), slots.words.end(), [&](const Word& w) { return w.canon == canon; });
}

// Words that could be the object: not a stop word, not taken by a slot,
// not one of the row's own words.
bool has_other_word(const Slots& slots, const HintRow& row) {
  return std::any_of(slots.words.begin(), slots.words.end(), [&](const Word& w) {
    return !w.stop && !w.consumed && w.canon != row.verb && w.canon != row.noun && w.lower != row.verb;
  });
}

bool names_object(const Slots& slots, const HintRow& row) {
  switch (row.needs) {
    case Needs::file:
      return !slots.files.empty() || !slots.paths.empty() || !slots.quoted.empty() || !slots.extensions.empty() ||
             has_other_word(slots, row);
    case Needs::process: return !slots.numbers.empty() || !slots.quoted.empty() || has_other_word(slots, row);
    case Needs::name: return !slots.quoted.empty() || has_other_word(slots, row);
  }
  return true;
}

}  // namespace

std::optional<std::string> decline_hint(std::string_view request) {
  const Slots slots = extract_slots(request);
  if (slots.unbalanced_quote) return std::nullopt;
  for (const HintRow& row : k_hints) {
    if (!has_word(slots, row.verb) || (!row.noun.empty() && !has_word(slots, row.noun))) continue;
    if (!names_object(slots, row)) return std::string(row.hint);
  }
  return std::nullopt;
}

}  // namespace cmdai::rules
