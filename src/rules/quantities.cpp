#include "rules/slot_passes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

namespace cmdai::rules {
namespace {

struct Unit {
  std::string_view name;
  char letter;
};

constexpr Unit k_size_units[] = {
    {"b", 'c'},         {"byte", 'c'},     {"bytes", 'c'},    {"k", 'k'},        {"kb", 'k'},  {"kib", 'k'},
    {"kilobytes", 'k'}, {"m", 'M'},        {"mb", 'M'},       {"mib", 'M'},      {"meg", 'M'}, {"megs", 'M'},
    {"megabytes", 'M'}, {"g", 'G'},        {"gb", 'G'},       {"gib", 'G'},      {"gig", 'G'}, {"gigs", 'G'},
    {"gigabytes", 'G'}, {"kilobyte", 'k'}, {"megabyte", 'M'}, {"gigabyte", 'G'},
};

// Letter m, h, d, w (weeks), o (months), y (years).
constexpr Unit k_time_units[] = {
    {"min", 'm'},   {"mins", 'm'},  {"minute", 'm'}, {"minutes", 'm'}, {"h", 'h'},     {"hr", 'h'}, {"hrs", 'h'},
    {"hour", 'h'},  {"hours", 'h'}, {"d", 'd'},      {"day", 'd'},     {"days", 'd'},  {"w", 'w'},  {"week", 'w'},
    {"weeks", 'w'}, {"month", 'o'}, {"months", 'o'}, {"year", 'y'},    {"years", 'y'},
};

template <std::size_t N>
std::optional<char> find_unit(const Unit (&units)[N], std::string_view name) {
  for (const Unit& u : units) {
    if (u.name == name) return u.letter;
  }
  return std::nullopt;
}

std::string_view spoken_unit(char letter, long amount) {
  const bool one = amount == 1;
  switch (letter) {
    case 'm': return one ? "minute" : "minutes";
    case 'h': return one ? "hour" : "hours";
    case 'w': return one ? "week" : "weeks";
    case 'o': return one ? "month" : "months";
    case 'y': return one ? "year" : "years";
    default: return one ? "day" : "days";
  }
}

Duration make_duration(long amount, char letter, Duration::Relation relation) {
  Duration d;
  d.relation = relation;
  d.spoken = std::to_string(amount) + " " + std::string(spoken_unit(letter, amount));
  switch (letter) {
    case 'w': d.amount = amount * 7, d.unit = 'd'; break;
    case 'o': d.amount = amount * 30, d.unit = 'd'; break;
    case 'y': d.amount = amount * 365, d.unit = 'd'; break;
    default: d.amount = amount, d.unit = letter; break;
  }
  return d;
}

bool any_before(const std::vector<Word>& words, std::size_t i, std::size_t reach,
                std::initializer_list<std::string_view> wanted) {
  for (std::size_t k = i >= reach ? i - reach : 0; k < i; ++k) {
    if (std::find(wanted.begin(), wanted.end(), words[k].canon) != wanted.end()) return true;
  }
  return false;
}

Duration::Relation relation_before(const std::vector<Word>& words, std::size_t i) {
  return any_before(words, i, 3, {"older", "over", "before", "more", "not", "ago", "untouched"})
             ? Duration::Relation::older_than
             : Duration::Relation::within;
}

// "10mb" -> (10, "mb"); "10" -> (10, "").
std::optional<std::pair<double, std::string>> split_number(const std::string& lower) {
  std::size_t i = 0;
  while (i < lower.size() && (std::isdigit(static_cast<unsigned char>(lower[i])) || lower[i] == '.')) ++i;
  if (i == 0 || lower.find_first_not_of("0123456789.") == 0) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(lower.data(), lower.data() + i, value);
  if (ec != std::errc{} || ptr != lower.data() + i) return std::nullopt;
  return std::pair{value, lower.substr(i)};
}

bool is_count_neighbour(std::string_view canon) {
  constexpr std::string_view k_words[] = {"top",    "first",  "last",  "big",   "most",  "recent", "oldest",
                                          "limit",  "head",   "tail",  "times", "time",  "line",   "commit",
                                          "result", "entrie", "entry", "item",  "small", "ping",   "packet"};
  return std::find(std::begin(k_words), std::end(k_words), canon) != std::end(k_words);
}

// A number followed by a unit (attached or as the next word).
bool take_measure(Slots& slots, std::size_t i, double number, const std::string& suffix) {
  auto& words = slots.words;
  std::string unit = suffix;
  std::size_t used = i;
  if (unit.empty() && i + 1 < words.size()) {
    unit = words[i + 1].lower;
    used = i + 1;
  }
  if (auto letter = find_unit(k_size_units, unit); letter && !(used != i && unit == "m")) {
    slots.size = Size{number, *letter};
    if (any_before(words, i, 3, {"small", "less", "under", "below"})) {
      slots.size_comparison = Slots::Comparison::smaller;
    }
  } else if (auto time = find_unit(k_time_units, unit)) {
    slots.age = make_duration(static_cast<long>(number), *time, relation_before(words, i));
  } else {
    return false;
  }
  for (std::size_t k = i; k <= used; ++k) words[k].consumed = true;
  return true;
}

void take_integer(Slots& slots, std::size_t i, long value) {
  auto& words = slots.words;
  const std::string& raw = words[i].raw;
  words[i].consumed = true;
  if (i > 0 && (words[i - 1].canon == "port")) {
    // A second port ("port 3000 ... at port 8080") is still a value the
    // command must carry.
    if (slots.port) {
      slots.numbers.push_back(value);
    } else {
      slots.port = value;
    }
    return;
  }
  const bool before = i > 0 && is_count_neighbour(words[i - 1].canon) && words[i - 1].canon != "line";
  const bool after = i + 1 < words.size() && is_count_neighbour(words[i + 1].canon);
  // "5 processes using the most memory": a request that opens with a number
  // asks for that many of what follows.
  const bool leading = i == 0 && i + 1 < words.size() && !words[i + 1].stop && value <= 1000;
  // A count is small; "unix time 1600000000" is a timestamp, not a count.
  if (!slots.count && (before || after || leading) && value <= 100000) {
    slots.count = value;
    return;
  }
  if (raw.size() >= 3 && raw.size() <= 4 && raw.find_first_not_of("01234567") == std::string::npos) {
    if (!slots.mode) slots.mode = raw;
  }
  slots.numbers.push_back(value);
}

// Durations named without a number: "past week", "in the last hour",
// "since last week", "older than a year", "an hour ago", "today".
void take_named_duration(Slots& slots, std::size_t i) {
  auto& words = slots.words;
  const std::string& w = words[i].lower;
  if (w == "today" || w == "yesterday") {
    Duration d = make_duration(w == "today" ? 0 : 1, 'd', Duration::Relation::within);
    d.spoken = w;
    slots.age = d;
    words[i].consumed = true;
    return;
  }
  if (i == 0) return;
  const std::string& before = words[i - 1].lower;
  const bool span = before == "last" || before == "past" || before == "this";  // always "within"
  if (!span && before != "a" && before != "an" && before != "one") return;
  const auto letter = find_unit(k_time_units, w);
  if (!letter || w.size() <= 2) return;
  slots.age = make_duration(1, *letter, span ? Duration::Relation::within : relation_before(words, i - 1));
  words[i].consumed = words[i - 1].consumed = true;
  const bool ago = i + 1 < words.size() && words[i + 1].lower == "ago";
  if (ago) words[i + 1].consumed = true;
}

}  // namespace

// "three times": numbers people spell out.
std::optional<long> number_word(std::string_view w) {
  constexpr std::string_view k_numbers[] = {"zero",  "one",   "two",  "three", "four",   "five",   "six",
                                            "seven", "eight", "nine", "ten",   "eleven", "twelve", "twenty"};
  for (std::size_t k = 0; k < std::size(k_numbers); ++k) {
    if (w == k_numbers[k]) return k == 13 ? 20L : static_cast<long>(k);
  }
  return std::nullopt;
}

// "second column", "3rd field": ordinals name positions.
std::optional<long> ordinal(const std::vector<Word>& words, std::size_t i) {
  constexpr std::string_view k_ordinals[] = {"first", "second",  "third",  "fourth", "fifth",
                                             "sixth", "seventh", "eighth", "ninth",  "tenth"};
  const std::string& w = words[i].lower;
  for (std::size_t k = 0; k < std::size(k_ordinals); ++k) {
    if (w != k_ordinals[k]) continue;
    const bool position = i + 1 < words.size() && (words[i + 1].canon == "column" || words[i + 1].canon == "field");
    if (k > 0 || position) return static_cast<long>(k + 1);
  }
  if (w.size() >= 3 && std::isdigit(static_cast<unsigned char>(w[0])) &&
      (w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd") || w.ends_with("th"))) {
    const std::string digits = w.substr(0, w.size() - 2);
    if (digits.find_first_not_of("0123456789") == std::string::npos && digits.size() < 4) return std::stol(digits);
  }
  return std::nullopt;
}

bool is_unit_word(std::string_view lower) {
  return lower.size() >= 2 && (find_unit(k_size_units, lower) || find_unit(k_time_units, lower));
}

namespace {

// "one line each", "one line per commit": a layout, not a count of one.
bool is_one_per(const std::vector<Word>& words, std::size_t i) {
  return words[i].lower == "one" && i + 2 < words.size() && words[i + 1].canon == "line" &&
         (words[i + 2].lower == "each" || words[i + 2].lower == "per");
}

}  // namespace

void extract_quantities(Slots& slots) {
  auto& words = slots.words;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].consumed) continue;
    const std::string& w = words[i].lower;
    if (auto position = ordinal(words, i)) {
      slots.numbers.push_back(*position);
      words[i].consumed = true;
      continue;
    }
    if (w.size() > 1 && w[0] == ':' && w.find_first_not_of("0123456789", 1) == std::string::npos) {
      slots.port = std::stol(w.substr(1));
      words[i].consumed = true;
      continue;
    }
    if (is_one_per(words, i)) continue;
    if (auto spelled = number_word(w)) {
      // "two days", "zero bytes": a spelled number takes a unit like digits do.
      if (!take_measure(slots, i, static_cast<double>(*spelled), "")) take_integer(slots, i, *spelled);
      continue;
    }
    auto number = split_number(w);
    // "bigger than a gig": an article stands for one of a unit.
    if (!number && (w == "a" || w == "an") && i + 1 < words.size() && words[i + 1].lower.size() > 1 &&
        take_measure(slots, i, 1, "")) {
      continue;
    }
    if (!number) {
      if (!slots.age) take_named_duration(slots, i);
      continue;
    }
    if (take_measure(slots, i, number->first, number->second)) continue;
    if (number->second.empty() && w.find('.') == std::string::npos && w.size() <= 12) {
      take_integer(slots, i, std::stol(w));
    }
  }
}

void extract_extension_words(Slots& slots) {
  if (!slots.extensions.empty()) return;
  constexpr std::pair<std::string_view, std::string_view> k_words[] = {
      {"pdf", "pdf"},   {"jpg", "jpg"},       {"jpeg", "jpeg"},   {"png", "png"},       {"gif", "gif"},
      {"svg", "svg"},   {"txt", "txt"},       {"text", "txt"},    {"log", "log"},       {"csv", "csv"},
      {"json", "json"}, {"yaml", "yaml"},     {"xml", "xml"},     {"html", "html"},     {"css", "css"},
      {"js", "js"},     {"javascript", "js"}, {"ts", "ts"},       {"typescript", "ts"}, {"py", "py"},
      {"python", "py"}, {"md", "md"},         {"markdown", "md"}, {"mp4", "mp4"},       {"mp3", "mp3"},
      {"mkv", "mkv"},   {"mov", "mov"},       {"wav", "wav"},     {"zip", "zip"},       {"iso", "iso"},
      {"tmp", "tmp"},   {"bak", "bak"},       {"conf", "conf"},   {"sh", "sh"},         {"shell", "sh"},
      {"c", "c"},       {"cpp", "cpp"},       {"go", "go"},       {"rust", "rs"},       {"java", "java"},
      {"sql", "sql"},   {"docx", "docx"},     {"xlsx", "xlsx"},   {"deb", "deb"},       {"rpm", "rpm"},
  };
  constexpr std::string_view k_kinds[] = {"file", "video", "picture", "image", "document", "script", "source"};
  auto& words = slots.words;
  auto extension_of = [&](const Word& w, bool plural_ok) -> std::optional<std::string_view> {
    for (const auto& [word, extension] : k_words) {
      if (w.lower == word ||
          (plural_ok && w.lower.size() == word.size() + 1 && w.lower.starts_with(word) && w.lower.back() == 's')) {
        return extension;
      }
    }
    return std::nullopt;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto extension = extension_of(words[i], true);
    const bool plural = extension && !extension_of(words[i], false) && words[i].lower != "logs";
    if (!extension) continue;
    std::size_t j = i + 1;
    // "png and jpg files": look past a list of extension words.
    while (j + 1 < words.size() && (words[j].lower == "and" || words[j].lower == "or") &&
           extension_of(words[j + 1], true)) {
      j += 2;
    }
    const bool kind_follows =
        j < words.size() && std::find(std::begin(k_kinds), std::end(k_kinds), words[j].canon) != std::end(k_kinds);
    constexpr std::string_view k_distinctive[] = {"pdf", "jpg", "jpeg", "png", "gif",  "mp4",  "mp3", "mkv",
                                                  "mov", "wav", "csv",  "iso", "docx", "xlsx", "svg"};
    const bool distinctive =
        std::find(std::begin(k_distinctive), std::end(k_distinctive), *extension) != std::end(k_distinctive);
    if (kind_follows || plural || distinctive) {
      slots.extensions.emplace_back(*extension);
      words[i].consumed = true;
    }
  }
}

}  // namespace cmdai::rules
