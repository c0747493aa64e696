#include "semantic/lexicon.h"

#include <algorithm>
#include <cctype>

namespace cmdai::semantic {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::span<const Concept> concept_lexicon() {
  static const std::vector<Concept> concepts{
      {"disk_free", {"free space", "disk space", "space left", "storage left", "disk full"}, {"df"}},
      {"disk_usage", {"folder size", "directory size", "what takes space", "space used"}, {"du", "ncdu"}},
      {"version_control", {"source control", "version control", "commits", "repository"}, {"git"}},
      {"processes", {"running programs", "what is running", "process list", "cpu hog"}, {"ps", "top", "htop", "pgrep"}},
      {"network_ports", {"open ports", "listening", "which port"}, {"ss", "netstat", "lsof"}},
      {"archives", {"compress", "archive", "unpack", "extract"}, {"tar", "zip", "unzip", "gzip"}},
      {"search_text", {"search text", "find text", "look for a word"}, {"grep", "rg"}},
      {"find_files", {"find files", "locate files", "search files"}, {"find", "locate", "fd"}},
      {"memory", {"memory", "ram"}, {"free", "vmstat"}},
      {"logs", {"system log", "logs", "journal"}, {"journalctl", "tail", "dmesg"}},
  };
  return concepts;
}

std::vector<std::string> expand_query(std::string_view query) {
  const std::string text = lower(query);
  std::vector<std::string> terms;
  for (const Concept& c : concept_lexicon()) {
    const bool hit = std::any_of(c.phrases.begin(), c.phrases.end(),
                                 [&](std::string_view phrase) { return text.find(phrase) != std::string::npos; });
    if (!hit) continue;
    for (auto term : c.terms) {
      if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.emplace_back(term);
    }
  }
  return terms;
}

}  // namespace cmdai::semantic
