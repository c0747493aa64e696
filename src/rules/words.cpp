#include "rules/words.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <utility>

#include "core/utf8.h"
#include "rules/vocabulary.h"

namespace cmdai::rules {
namespace {

// Non-ASCII code points that separate words: spaces, punctuation, quotation
// marks and symbols. Everything else above ASCII - every letter and mark of
// every script, and digits - is part of a word, so "Café.txt" or
// "naïve_bayes.py" stays one value.
constexpr std::pair<char32_t, char32_t> k_separators[] = {
    {0x0080, 0x00BF},  // C1 controls, no-break space, Latin-1 punctuation and symbols
    {0x00D7, 0x00D7},  // multiplication sign
    {0x00F7, 0x00F7},  // division sign
    {0x2000, 0x206F},  // general punctuation: spaces, dashes, quotation marks, bidi controls
    {0x20A0, 0x20CF},  // currency symbols
    {0x2190, 0x2BFF},  // arrows, mathematical operators, technical symbols, box drawing
    {0x3000, 0x303F},  // CJK punctuation and the ideographic space
    {0xFE10, 0xFE1F},  // vertical forms
    {0xFE30, 0xFE4F},  // CJK compatibility forms
    {0xFEFF, 0xFEFF},  // byte order mark
    {0xFF01, 0xFF0F},  // fullwidth punctuation
    {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0x1F000, 0x1FAFF},  // emoji and pictographs
};

bool is_word_code_point(char32_t code) {
  if (code < 0x80) {
    constexpr std::string_view k_inner = "._/~:@%+=*-$,#";
    const char c = static_cast<char>(code);
    return std::isalnum(static_cast<unsigned char>(c)) || k_inner.find(c) != std::string_view::npos;
  }
  return std::none_of(std::begin(k_separators), std::end(k_separators),
                      [&](const auto& range) { return code >= range.first && code <= range.second; });
}

constexpr std::pair<std::string_view, std::string_view> k_synonyms[] = {
    {"addresses", "address"},
    {"aliases", "alias"},
    {"archive", "compress"},
    {"archives", "compress"},
    {"belong", "owner"},
    {"belonging", "owner"},
    {"belongs", "owner"},
    {"big", "big"},
    {"bigger", "big"},
    {"biggest", "big"},
    {"blank", "empty"},
    {"bundle", "compress"},
    {"changed", "change"},
    {"changes", "change"},
    {"computer", "system"},
    {"containers", "container"},
    {"copy", "copy"},
    {"cores", "core"},
    {"cp", "copy"},
    {"owned", "owner"},
    {"many", "count"},
    {"number", "count"},
    {"created", "create"},
    {"del", "delete"},
    {"dir", "directory"},
    {"directories", "directory"},
    {"dirs", "directory"},
    {"display", "show"},
    {"dupes", "duplicate"},
    {"duplicates", "duplicate"},
    {"edited", "change"},
    {"erase", "delete"},
    {"executables", "executable"},
    {"extract", "extract"},
    {"fetch", "download"},
    {"folder", "directory"},
    {"folders", "directory"},
    {"gb", "gb"},
    {"get", "show"},
    {"gigs", "gb"},
    {"give", "show"},
    {"huge", "big"},
    {"images", "image"},
    {"installed", "installed"},
    {"kill", "kill"},
    {"large", "big"},
    {"larger", "big"},
    {"largest", "big"},
    {"latest", "recent"},
    {"list", "show"},
    {"listening", "listen"},
    {"locate", "find"},
    {"look", "find"},
    {"machine", "system"},
    {"mem", "memory"},
    {"modified", "change"},
    {"modify", "change"},
    {"newest", "recent"},
    {"output", "show"},
    {"pack", "compress"},
    {"perm", "permission"},
    {"permissions", "permission"},
    {"perms", "permission"},
    {"photo", "picture"},
    {"photos", "picture"},
    {"print", "show"},
    {"procs", "process"},
    {"processor", "cpu"},
    {"program", "process"},
    {"programs", "process"},
    {"ram", "memory"},
    {"recently", "recent"},
    {"remove", "delete"},
    {"removing", "delete"},
    {"repository", "repo"},
    {"rm", "delete"},
    {"running", "running"},
    {"search", "find"},
    {"see", "show"},
    {"show", "show"},
    {"small", "small"},
    {"smaller", "small"},
    {"smallest", "small"},
    {"startup", "boot"},
    {"status", "status"},
    {"symbolic", "symlink"},
    {"symlinks", "symlink"},
    {"tell", "show"},
    {"terminate", "kill"},
    {"tiny", "small"},
    {"touched", "change"},
    {"uncompress", "extract"},
    {"unpack", "extract"},
    {"unstage", "unstage"},
    {"updated", "change"},
    {"usage", "usage"},
    {"use", "usage"},
    {"used", "usage"},
    {"uses", "usage"},
    {"using", "usage"},
    {"view", "show"},
    {"what's", "what"},
    {"whats", "what"},
    {"where's", "where"},
    {"wipe", "delete"},
    {"within", "in"},
    {"yml", "yaml"},
    {"rid", "delete"},
    {"case-insensitive", "insensitive"},
    {"case-sensitive", "sensitive"},
    {"cpus", "cpu"},
    {"gpus", "gpu"},
    {"stuff", "file"},
};

constexpr std::string_view k_stop_words[] = {
    "a",       "about",    "all",      "also",  "am",       "an",     "and",       "any",     "are",    "as",
    "at",      "be",       "can",      "could", "current",  "do",     "does",      "every",   "for",    "from",
    "have",    "here",     "how",      "i",     "i'd",      "i'm",    "in",        "is",      "it",     "its",
    "just",    "let",      "me",       "my",    "need",     "of",     "on",        "or",      "please", "show",
    "some",    "that",     "the",      "there", "these",    "this",   "those",     "to",      "u",      "want",
    "what",    "whatever", "which",    "with",  "would",    "you",    "your",      "called",  "named",  "thing",
    "by",      "than",     "hey",      "pls",   "quickly",  "now",    "currently", "right",   "wanna",  "really",
    "kindly",  "was",      "were",     "did",   "has",      "should", "will",      "where's", "then",   "way",
    "command", "cmd",      "terminal", "again", "too",      "very",   "ones",      "only",    "got",    "gonna",
    "like",    "whole",    "entire",   "know",  "find out", "check",  "tell",      "output",  "okay",   "ok",
    "along",
};

// "files" -> "file", "processes" -> "process", "entries" -> "entry".
std::string singular(std::string word) {
  if (word.size() <= 3 || !std::all_of(word.begin(), word.end(), [](char c) { return std::isalpha(c) || c == '-'; })) {
    return word;
  }
  if (word.ends_with("ies") && word.size() > 4) return word.substr(0, word.size() - 3) + "y";
  for (std::string_view suffix : {"sses", "shes", "ches", "xes"}) {
    if (word.ends_with(suffix)) return word.substr(0, word.size() - 2);
  }
  for (std::string_view keep : {"ss", "us", "is", "as"}) {
    if (word.ends_with(keep)) return word;
  }
  for (std::string_view keep : {"macos", "chaos", "kudos", "ios"}) {
    if (word == keep) return word;
  }
  if (word.ends_with('s')) word.pop_back();
  return word;
}

}  // namespace

bool is_name_text(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char ch = decode_utf8(text, at);
    const bool ascii_name = ch.code < 0x80 && (std::isalnum(static_cast<int>(ch.code)) || ch.code == '_' ||
                                               ch.code == '-' || ch.code == '.');
    if (!ch.valid || !(ascii_name || (ch.code >= 0x80 && is_word_code_point(ch.code)))) return false;
    at += ch.length;
  }
  return !text.empty();
}

std::string canonical_word(std::string_view lower) {
  static const auto sorted = [] {
    std::vector<std::pair<std::string_view, std::string_view>> table(std::begin(k_synonyms), std::end(k_synonyms));
    std::sort(table.begin(), table.end());
    return table;
  }();
  auto lookup = [](std::string_view w) -> std::optional<std::string_view> {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), w,
                               [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (it != sorted.end() && it->first == w) return it->second;
    return std::nullopt;
  };
  if (auto hit = lookup(lower)) return std::string(*hit);
  std::string one = singular(std::string(lower));
  if (auto hit = lookup(one)) return std::string(*hit);
  return one;
}

bool is_stop_word(std::string_view canon) {
  return std::find(std::begin(k_stop_words), std::end(k_stop_words), canon) != std::end(k_stop_words);
}

std::vector<std::string_view> known_word_forms() {
  std::vector<std::string_view> forms(std::begin(k_stop_words), std::end(k_stop_words));
  for (const auto& [form, canon] : k_synonyms) forms.push_back(form);
  return forms;
}

namespace {

// "user marek", "the branch fixup", "a file called tets": the word after
// one of these is a name as typed, never a slip of a word the library knows.
bool names_what_follows(std::string_view canon) {
  constexpr std::string_view k_kinds[] = {"user", "group",   "branch",  "container", "image", "volume", "service",
                                          "unit", "package", "account", "remote",    "tag",   "named",  "called"};
  return listed(k_kinds, canon);
}

}  // namespace

std::vector<Word> split_words(std::string_view text) {
  std::vector<Word> words;
  std::string current;
  auto flush = [&] {
    while (!current.empty() && std::string_view(".,:?!").find(current.back()) != std::string_view::npos) {
      current.pop_back();
    }
    // "yesterday's" -> "yesterday"
    if (current.size() > 2 && current.ends_with("'s")) current.resize(current.size() - 2);
    if (current.empty()) return;
    Word w;
    w.raw = std::move(current);
    w.lower = w.raw;
    for (char& c : w.lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    w.canon = canonical_word(w.lower);
    // "direcotry", "proceses": a typo of a word the library knows reads as
    // that word. Only lower-case letters: "Makefile" or "DOCKER_" is typed as meant.
    const bool plain_letters = std::all_of(w.raw.begin(), w.raw.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    w.named = !words.empty() && names_what_follows(words.back().canon);
    if (plain_letters && !is_stop_word(w.canon) && !is_meaning_word(w.canon) && !is_meaning_word(w.lower)) {
      // "proccesses" is a slip of "processes": its singular one of "process".
      auto fixed = typo_correction(w.lower);
      if (!fixed) fixed = typo_correction(w.canon);
      // After "user" a name comes, unless the slip is of "called" itself.
      if (fixed && w.named && !names_what_follows(canonical_word(*fixed))) fixed.reset();
      if (fixed) {
        w.canon = canonical_word(*fixed);
        w.named = false;
      }
    }
    w.stop = is_stop_word(w.canon) || is_stop_word(w.lower);
    words.push_back(std::move(w));
    current.clear();
  };
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char ch = decode_utf8(text, at);
    // An apostrophe inside a word ("what's", "don't") belongs to it; a byte
    // that is not UTF-8 separates words.
    if ((ch.valid && is_word_code_point(ch.code)) || (ch.code == '\'' && !current.empty())) {
      current.append(text.substr(at, ch.length));
    } else {
      flush();
    }
    at += ch.length;
  }
  flush();
  return words;
}

std::vector<std::string_view> split_list(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(separator, start), text.size());
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace cmdai::rules
