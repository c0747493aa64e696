#pragma once
// Slot extraction for the offline rules backend: the values a request names
// (sizes, durations, extensions, paths, file names, hosts, URLs, ports,
// numbers, quoted text ...). Words a slot takes are marked consumed so the
// matcher does not count them as unexplained.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/words.h"

namespace cmdai::rules {

struct Size {
  double amount = 0;
  char unit = 'M';           // find(1) unit: c (bytes), k, M, G
  std::string text() const;  // "10M" as find -size wants it (integers only)
};

struct Duration {
  long amount = 0;
  char unit = 'd';  // m (minutes), h (hours), d (days); weeks become days
  enum class Relation { older_than, within } relation = Relation::within;
  std::string spoken;  // "2 weeks", "yesterday", "today": for --since= style options
  long minutes() const;
};

struct Slots {
  std::optional<Size> size;
  enum class Comparison { larger, smaller } size_comparison = Comparison::larger;
  std::optional<Duration> age;
  std::vector<std::string> extensions;    // lower case, without the dot
  std::vector<std::string> paths;         // in request order, as the shell should see them ("~/Downloads", "src")
  std::vector<std::size_t> path_words;    // index into `words` of the word each path came from
  std::vector<std::string> files;         // names with an extension ("app.log", "data.tar.gz")
  std::vector<std::string> quoted;        // quoted strings, in order
  std::optional<std::string> url;         // http(s)/ftp/git URL
  std::optional<std::string> host;        // "example.com", "10.0.0.5", "admin@web1"
  std::optional<std::string> remote;      // "host:/path", "user@host:/path"
  std::optional<std::string> mode;        // octal permission "755"
  std::optional<std::string> date;        // "2024-12-25"
  std::optional<std::string> variable;    // an upper-case name such as "PATH"
  std::optional<std::string> assignment;  // "NODE_ENV=production"
  std::optional<std::string> time_zone;   // "Europe/Berlin"
  // Values of the kinds above that hold one (URL, host, remote, date, time
  // zone, assignment) named after the first: "between 2024-01-01 and
  // 2024-02-15", "from web1 to web2". No template takes them by kind, so
  // only a command that carries them anyway answers the request.
  std::vector<std::string> further_values;
  std::optional<long> count;  // "top 5", "5 times", "last 50 lines"
  std::optional<long> port;
  std::vector<long> numbers;      // other integers, in order (pids, line numbers, years, epochs)
  std::vector<Word> words;        // every word of the request, quoted strings removed
  bool unbalanced_quote = false;  // a quote that never closes: values cannot be told from words
};

// Never fails: a request with none of the values yields empty slots. Input
// is treated as bytes; anything outside printable ASCII separates words.
Slots extract_slots(std::string_view request);

}  // namespace cmdai::rules
