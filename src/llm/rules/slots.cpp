#include "llm/rules/slots.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace cmdai::llm::rules {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '~' || c == '-' || c == '_' ||
         c == '*';
}

std::optional<double> to_number(std::string_view text) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "10mb", "10", "1.5g" split into number and unit suffix.
std::pair<std::optional<double>, std::string> split_number(const std::string& word) {
  std::size_t i = 0;
  while (i < word.size() && (std::isdigit(static_cast<unsigned char>(word[i])) || word[i] == '.')) ++i;
  if (i == 0) return {std::nullopt, {}};
  return {to_number(std::string_view(word).substr(0, i)), word.substr(i)};
}

std::optional<char> size_unit(const std::string& unit) {
  static const std::array<std::pair<const char*, char>, 14> units{{{"b", 'c'},
                                                                   {"bytes", 'c'},
                                                                   {"byte", 'c'},
                                                                   {"k", 'k'},
                                                                   {"kb", 'k'},
                                                                   {"kib", 'k'},
                                                                   {"m", 'M'},
                                                                   {"mb", 'M'},
                                                                   {"mib", 'M'},
                                                                   {"megabytes", 'M'},
                                                                   {"g", 'G'},
                                                                   {"gb", 'G'},
                                                                   {"gib", 'G'},
                                                                   {"gigabytes", 'G'}}};
  for (const auto& [name, letter] : units) {
    if (unit == name) return letter;
  }
  return std::nullopt;
}

std::optional<char> time_unit(const std::string& unit) {
  if (unit == "minute" || unit == "minutes" || unit == "min" || unit == "mins") return 'm';
  if (unit == "hour" || unit == "hours" || unit == "h" || unit == "hrs") return 'h';
  if (unit == "day" || unit == "days" || unit == "d") return 'd';
  if (unit == "week" || unit == "weeks" || unit == "w") return 'w';
  return std::nullopt;
}

const std::array<std::string_view, 8> k_home_dirs{"downloads", "documents", "desktop",  "pictures",
                                                  "music",     "videos",    "projects", "src"};

std::string capitalise(std::string_view word) {
  std::string out(word);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

void extract_path(const std::vector<std::string>& words, std::string_view request, Slots& slots) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.front() == '/' || w.front() == '~' || w.rfind("./", 0) == 0 || w.rfind("../", 0) == 0) {
      // Keep the user's spelling (case matters in paths): find it in the request.
      const auto at = request.find(w);
      std::string original(w);
      if (at == std::string_view::npos) {
        for (std::size_t p = 0; p + w.size() <= request.size(); ++p) {
          bool same = true;
          for (std::size_t k = 0; k < w.size() && same; ++k) {
            same = std::tolower(static_cast<unsigned char>(request[p + k])) == w[k];
          }
          if (same) {
            original = std::string(request.substr(p, w.size()));
            break;
          }
        }
      } else {
        original = std::string(request.substr(at, w.size()));
      }
      slots.path = original;
      return;
    }
  }
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "in" && words[i] != "under" && words[i] != "inside" && words[i] != "from") continue;
    std::size_t j = i + 1;
    if (words[j] == "my" || words[j] == "the") ++j;
    if (j >= words.size()) break;
    for (auto dir : k_home_dirs) {
      if (words[j] == dir) {
        slots.path = "~/" + capitalise(dir);
        return;
      }
    }
    if (words[j] == "home" || (words[j] == "home" && j + 1 < words.size())) {
      slots.path = "~";
      return;
    }
    if ((words[j] == "current" || words[j] == "this") && j + 1 < words.size() &&
        (words[j + 1] == "directory" || words[j + 1] == "dir" || words[j + 1] == "folder")) {
      slots.path = ".";
      return;
    }
  }
}

}  // namespace

std::string Size::text() const {
  char buffer[32];
  if (amount == std::floor(amount)) {
    std::snprintf(buffer, sizeof buffer, "%.0f%c", amount, unit == 'c' ? 'c' : unit);
    return buffer;
  }
  // find(1) takes integers only: use the next smaller unit.
  const double scaled = unit == 'G' ? amount * 1024 : unit == 'M' ? amount * 1024 : amount * 1024;
  const char smaller = unit == 'G' ? 'M' : unit == 'M' ? 'k' : 'c';
  std::snprintf(buffer, sizeof buffer, "%.0f%c", std::floor(scaled), smaller);
  return buffer;
}

std::vector<std::string> tokenize(std::string_view request) {
  std::vector<std::string> words;
  std::string current;
  for (char c : request) {
    if (is_word_char(c)) {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  // A trailing '.' ends a sentence, not a path.
  for (auto& w : words) {
    while (w.size() > 1 && w.back() == '.') w.pop_back();
  }
  return words;
}

Slots extract_slots(std::string_view request) {
  Slots slots;
  slots.words = tokenize(request);
  const auto& words = slots.words;

  if (auto open = request.find_first_of("\"'"); open != std::string_view::npos) {
    const auto close = request.find(request[open], open + 1);
    if (close != std::string_view::npos) slots.quoted = std::string(request.substr(open + 1, close - open - 1));
  }

  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    auto [number, suffix] = split_number(w);
    if (number) {
      std::string unit = suffix;
      bool unit_is_next_word = false;
      if (unit.empty() && i + 1 < words.size()) {
        unit = words[i + 1];
        unit_is_next_word = true;
      }
      if (auto letter = size_unit(unit); letter && !(unit_is_next_word && unit == "m")) {
        slots.size = Size{*number, *letter};
        for (std::size_t k = (i >= 3 ? i - 3 : 0); k < i; ++k) {
          if (words[k] == "smaller" || words[k] == "less" || words[k] == "under" || words[k] == "below") {
            slots.size_comparison = Slots::Comparison::smaller;
          }
        }
        continue;
      }
      if (auto letter = time_unit(unit)) {
        Duration d;
        d.amount = static_cast<long>(*number);
        d.unit = *letter;
        if (d.unit == 'w') {
          d.amount *= 7;
          d.unit = 'd';
        }
        for (std::size_t k = (i >= 3 ? i - 3 : 0); k < i; ++k) {
          if (words[k] == "older" || words[k] == "before" || words[k] == "over") {
            d.relation = Duration::Relation::older_than;
          }
        }
        slots.age = d;
        continue;
      }
      auto is_rank_word = [](const std::string& x) {
        return x == "top" || x == "first" || x == "last" || x == "biggest" || x == "largest" || x == "smallest" ||
               x == "newest" || x == "oldest" || x == "most" || x == "recent";
      };
      if ((i > 0 && is_rank_word(words[i - 1])) || (i + 1 < words.size() && is_rank_word(words[i + 1]))) {
        slots.count = static_cast<long>(*number);
      } else if (i > 0 && words[i - 1] == "port") {
        slots.port = static_cast<long>(*number);
      }
      continue;
    }
    if (w.size() > 1 && w[0] == '.' && std::isalnum(static_cast<unsigned char>(w[1])) &&
        w.find('/') == std::string::npos) {
      slots.extensions.push_back(w.substr(1));
      continue;
    }
    if (w == "yesterday") slots.age = Duration{1, 'd', Duration::Relation::within};
    if (w == "today") slots.age = Duration{0, 'd', Duration::Relation::within};
  }

  // "pdf files", "pdfs", "python files": a known extension word.
  static const std::array<std::pair<std::string_view, std::string_view>, 24> k_extension_words{{
      {"pdf", "pdf"},  {"pdfs", "pdf"},    {"jpg", "jpg"}, {"jpgs", "jpg"},  {"jpeg", "jpeg"}, {"png", "png"},
      {"pngs", "png"}, {"txt", "txt"},     {"log", "log"}, {"logs", "log"},  {"csv", "csv"},   {"csvs", "csv"},
      {"mp4", "mp4"},  {"mp3", "mp3"},     {"zip", "zip"}, {"json", "json"}, {"python", "py"}, {"py", "py"},
      {"cpp", "cpp"},  {"markdown", "md"}, {"md", "md"},   {"yaml", "yaml"}, {"html", "html"}, {"iso", "iso"},
  }};
  if (slots.extensions.empty()) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      for (const auto& [word, extension] : k_extension_words) {
        if (words[i] != word) continue;
        const bool followed_by_files = i + 1 < words.size() && (words[i + 1] == "files" || words[i + 1] == "file");
        const bool plural = word.back() == 's' && word != "logs";
        if (followed_by_files || plural || word == "pdf") {
          slots.extensions.emplace_back(extension);
        }
      }
    }
  }
  extract_path(words, request, slots);
  return slots;
}

}  // namespace cmdai::llm::rules
