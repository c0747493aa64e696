#include "rules/slots.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "rules/slot_passes.h"

namespace cmdai::rules {
namespace {

bool is_opening_context(std::string_view text, std::size_t at) {
  return at == 0 || std::string_view(" \t(=:,").find(text[at - 1]) != std::string_view::npos;
}

bool is_closing_context(std::string_view text, std::size_t at) {
  return at + 1 == text.size() || std::string_view(" \t).,:;?!").find(text[at + 1]) != std::string_view::npos;
}

// Removes quoted strings ('x', "x", `x`) from the text; an apostrophe inside
// a word ("what's") does not open a quote. A quote that never closes sets
// `unbalanced`.
std::string take_quoted(std::string_view text, std::vector<std::string>& quoted, bool& unbalanced) {
  std::string rest;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '"' || c == '\'' || c == '`') && is_opening_context(text, i)) {
      std::size_t close = i + 1;
      while (close < text.size() && !(text[close] == c && is_closing_context(text, close))) ++close;
      if (close == text.size()) {
        unbalanced = true;
      } else {
        if (close > i + 1) quoted.emplace_back(text.substr(i + 1, close - i - 1));
        rest += ' ';
        i = close;
        continue;
      }
    }
    rest += c;
  }
  // A quote mark left over (not an apostrophe inside a word) means the
  // request's quoting is broken.
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    const bool apostrophe = c == '\'' && i > 0 && i + 1 < rest.size() &&
                            std::isalpha(static_cast<unsigned char>(rest[i - 1])) &&
                            std::isalpha(static_cast<unsigned char>(rest[i + 1]));
    if (c == '"' || c == '`' || (c == '\'' && !apostrophe)) unbalanced = true;
  }
  return rest;
}

bool all_of(std::string_view s, int (*pred)(int)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)); });
}

bool is_ip(std::string_view s) {
  int dots = 0;
  for (char c : s) {
    if (c == '.') {
      ++dots;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return dots == 3;
}

constexpr std::string_view k_top_level_domains[] = {"com", "org", "net", "io",    "dev",  "edu",     "gov",
                                                    "co",  "uk",  "de",  "local", "lan",  "me",      "ai",
                                                    "app", "fr",  "nl",  "eu",    "info", "internal"};

bool is_domain(std::string_view s) {
  const auto dot = s.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || s.find('/') != std::string_view::npos) return false;
  const std::string_view tld = s.substr(dot + 1);
  return std::find(std::begin(k_top_level_domains), std::end(k_top_level_domains), tld) !=
         std::end(k_top_level_domains);
}

// "v3.1.0", "2.31.0": a version, whose last part is no extension.
bool is_version(std::string_view s) {
  if (s.starts_with('v') || s.starts_with('V')) s.remove_prefix(1);
  return !s.empty() && std::isdigit(static_cast<unsigned char>(s.front())) && s.find('.') != std::string_view::npos &&
         s.find_first_not_of("0123456789.") == std::string_view::npos;
}

bool is_file_name(std::string_view s) {
  if (s.starts_with('.') || s.find('/') != std::string_view::npos || is_version(s)) return false;
  const auto dot = s.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == s.size()) return false;
  const std::string_view ext = s.substr(dot + 1);
  if (ext.size() > 5 || !all_of(ext, std::isalnum) || all_of(s.substr(0, dot), std::isdigit)) return false;
  return s != "tar.gz" && s != "tar.bz2" && s != "tar.xz";
}

bool is_time_zone(std::string_view s) {
  const auto slash = s.find('/');
  return slash != std::string_view::npos && slash > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
         slash + 1 < s.size() && std::isupper(static_cast<unsigned char>(s[slash + 1])) &&
         s.find('/', slash + 1) == std::string_view::npos;
}

bool is_variable_name(std::string_view s) {
  if (s.size() < 2 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  bool letter = false;
  for (char c : s) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      letter = true;
    } else if (c != '_' && !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return letter;
}

bool is_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && all_of(s.substr(0, 4), std::isdigit) &&
         all_of(s.substr(5, 2), std::isdigit) && all_of(s.substr(8, 2), std::isdigit);
}

// Words that name a place on disk by shape: /x, ~, ~/x, ./x, ../x, and a
// file below a relative directory, lib/parser.c (not a branch such as
// feature/search, an image such as redis:7 or a user@host).
bool is_path(std::string_view s) {
  if (s.starts_with('/') || s == "~" || s.starts_with("~/") || s.starts_with("./") || s.starts_with("../") ||
      s == "." || s == "..") {
    return true;
  }
  const auto slash = s.rfind('/');
  return slash != std::string_view::npos && slash > 0 && s.find_first_of(":@") == std::string_view::npos &&
         is_file_name(s.substr(slash + 1));
}

// ".zshrc" in "where is my .zshrc" is one file, not an extension: a dot
// word after "my", "the", "is" and the like, with no "files" after it.
bool names_one_file(const std::vector<Word>& words, std::size_t i) {
  constexpr std::string_view k_kinds[] = {"file", "files", "script", "scripts", "document", "documents"};
  if (i + 1 < words.size() &&
      std::find(std::begin(k_kinds), std::end(k_kinds), words[i + 1].lower) != std::end(k_kinds)) {
    return false;
  }
  constexpr std::string_view k_one[] = {"my", "the", "is", "where", "edit", "open", "your", "this"};
  return i > 0 && std::find(std::begin(k_one), std::end(k_one), words[i - 1].lower) != std::end(k_one);
}

// An API key or token by its shape: a known prefix ("sk-", "ghp_" ...) or a
// long run of letters and digits that is not hexadecimal.
bool is_credential(std::string_view s) {
  constexpr std::string_view k_prefixes[] = {"sk-",   "sk_",   "ghp_",   "gho_", "ghs_", "github_pat_",
                                             "xoxb-", "xoxp-", "glpat-", "AKIA", "AIza"};
  const bool prefixed =
      std::any_of(std::begin(k_prefixes), std::end(k_prefixes), [&](std::string_view p) { return s.starts_with(p); });
  if (prefixed && s.size() >= 16) return true;
  const bool opaque = std::all_of(
      s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
  const auto digits =
      std::count_if(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  // Hex runs are commit hashes and container ids: values, not secrets.
  const bool beyond_hex = std::any_of(s.begin(), s.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) && !std::isxdigit(static_cast<unsigned char>(c));
  });
  return opaque && beyond_hex && s.size() >= 24 && digits >= 4;
}

// One word that is a value by its shape alone.
void classify_shape(Word& w, Slots& slots) {
  const std::string& s = w.raw;
  // A credential never goes into a command, and the request is read
  // without it ("show git status with key sk-..."), its label included.
  if (is_credential(s)) {
    w.stop = w.consumed = true;
    const auto i = static_cast<std::size_t>(&w - slots.words.data());
    constexpr std::string_view k_labels[] = {"key", "token", "password", "secret", "apikey"};
    if (i > 0 && std::find(std::begin(k_labels), std::end(k_labels), slots.words[i - 1].lower) != std::end(k_labels)) {
      slots.words[i - 1].stop = slots.words[i - 1].consumed = true;
    }
    return;
  }
  auto take = [&](std::optional<std::string>& slot) {
    if (!slot) {
      slot = s;
    } else if (*slot != s) {
      slots.further_values.push_back(s);
    }
    w.consumed = true;
  };
  if (s.find("://") != std::string::npos || s.starts_with("git@")) return take(slots.url);
  if (is_time_zone(s)) return take(slots.time_zone);
  if (is_path(s)) {
    slots.paths.push_back(s);
    slots.path_words.push_back(static_cast<std::size_t>(&w - slots.words.data()));
    w.consumed = true;
    return;
  }
  if (const auto colon = s.find(':'); colon != std::string::npos && colon > 0 && colon + 1 <= s.size()) {
    if (colon + 1 == s.size() || s[colon + 1] == '/' || s[colon + 1] == '~' || std::isalpha(s[colon + 1])) {
      return take(slots.remote);
    }
  }
  if (s.find('@') != std::string::npos && s.front() != '@') return take(slots.host);
  if (is_ip(s) || is_domain(s)) return take(slots.host);
  if (is_date(s)) return take(slots.date);
  if (const auto eq = s.find('='); eq != std::string::npos && eq > 0 && is_variable_name(s.substr(0, eq))) {
    return take(slots.assignment);
  }
  if (is_variable_name(s) && s != "I") {
    if (!slots.variable) slots.variable = s;
  } else if (s.size() > 2 && s[0] == '$' && is_variable_name(s.substr(1))) {  // "echo $PATH"
    if (!slots.variable) slots.variable = s.substr(1);
    w.consumed = true;
    return;
  }
  if (is_file_name(s)) {
    slots.files.push_back(s);
    w.consumed = true;
  } else if (s.size() > 1 && s[0] == '.' && all_of(std::string_view(w.lower).substr(1), std::isalnum)) {
    if (names_one_file(slots.words, static_cast<std::size_t>(&w - slots.words.data()))) {
      slots.files.push_back(s);
    } else {
      slots.extensions.push_back(w.lower.substr(1));
    }
    w.consumed = true;
  }
}

// "rename 'old name.txt' to new_name.txt": a quoted file name is a file
// the command acts on, unless the request looks for it as text ("grep for
// 'a.txt'"). Files keep the order the request names them in.
void take_quoted_files(std::string_view request, Slots& slots) {
  constexpr std::string_view k_text_words[] = {"for",      "grep",    "containing", "contain", "contains", "string",
                                               "text",     "pattern", "word",       "mention", "mentions", "mentioning",
                                               "matching", "match",   "with",       "replace", "literal",  "phrase",
                                               "message",  "msg",     "comment",    "-m",      "echo",     "print",
                                               "say",      "saying",  "title",      "label"};
  bool moved = false;
  for (auto it = slots.quoted.begin(); it != slots.quoted.end();) {
    const auto at = request.find(*it);
    std::size_t end = at == std::string_view::npos || at == 0 ? 0 : at - 1;
    while (end > 0 && request[end - 1] == ' ') --end;
    std::size_t start = end;
    while (start > 0 && request[start - 1] != ' ') --start;
    std::string before(request.substr(start, end - start));
    for (char& c : before) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool text = std::find(std::begin(k_text_words), std::end(k_text_words), before) != std::end(k_text_words);
    const auto dot = it->rfind('.');
    const bool lettered =
        dot != std::string::npos && std::any_of(it->begin() + static_cast<long>(dot), it->end(),
                                                [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    if (at == std::string_view::npos || text || !lettered || !is_file_name(*it)) {
      ++it;
      continue;
    }
    slots.files.push_back(*it);
    it = slots.quoted.erase(it);
    moved = true;
  }
  if (!moved) return;
  std::stable_sort(slots.files.begin(), slots.files.end(),
                   [&](const std::string& a, const std::string& b) { return request.find(a) < request.find(b); });
}

}  // namespace

std::string Size::text() const {
  char buffer[32];
  if (amount == std::floor(amount)) {
    std::snprintf(buffer, sizeof buffer, "%.0f%c", amount, unit);
    return buffer;
  }
  // find(1) takes integers only: use the next smaller unit.
  const char smaller = unit == 'G' ? 'M' : unit == 'M' ? 'k' : 'c';
  std::snprintf(buffer, sizeof buffer, "%.0f%c", std::floor(amount * 1024), smaller);
  return buffer;
}

long Duration::minutes() const {
  if (unit == 'm') return amount;
  if (unit == 'h') return amount * 60;
  return amount * 24 * 60;
}

Slots extract_slots(std::string_view request) {
  Slots slots;
  const std::string rest = take_quoted(request, slots.quoted, slots.unbalanced_quote);
  slots.words = split_words(rest);
  for (Word& w : slots.words) classify_shape(w, slots);
  take_quoted_files(request, slots);
  extract_quantities(slots);
  extract_extension_words(slots);
  extract_directory_words(slots);
  // "copy the folder src to /tmp/backup": the passes find paths in another
  // order than the request names them.
  std::vector<std::size_t> order(slots.paths.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return slots.path_words[a] < slots.path_words[b]; });
  std::vector<std::string> paths;
  std::vector<std::size_t> positions;
  for (std::size_t i : order) {
    paths.push_back(std::move(slots.paths[i]));
    positions.push_back(slots.path_words[i]);
  }
  slots.paths = std::move(paths);
  slots.path_words = std::move(positions);
  return slots;
}

}  // namespace cmdai::rules
