#pragma once
// Slot extraction for the offline rules backend: the values a request names
// (sizes, durations, extensions, paths, counts, quoted text).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cmdai::llm::rules {

struct Size {
  double amount = 0;
  char unit = 'M';           // find(1) unit: c (bytes), k, M, G
  std::string text() const;  // "10M" as find -size wants it
};

struct Duration {
  long amount = 0;
  char unit = 'd';  // m (minutes), h (hours), d (days)
  enum class Relation { older_than, within } relation = Relation::within;
};

struct Slots {
  std::optional<Size> size;
  enum class Comparison { larger, smaller } size_comparison = Comparison::larger;
  std::optional<Duration> age;
  std::vector<std::string> extensions;  // lower case, without the dot
  std::optional<std::string> path;      // as the shell should see it ("~/Downloads", "/var/log", ".")
  std::optional<long> count;            // "top 5"
  std::optional<std::string> quoted;    // first quoted string
  std::optional<long> port;
  std::vector<std::string> words;  // normalised words of the request
};

Slots extract_slots(std::string_view request);

// Lower-cases ASCII and splits on anything that is not a letter, digit, '.',
// '/', '~', '-', '_' or '*'.
std::vector<std::string> tokenize(std::string_view request);

}  // namespace cmdai::llm::rules
