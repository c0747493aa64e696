#include <algorithm>
#include <cctype>

#include "rules/slot_passes.h"
#include "rules/vocabulary.h"

namespace cmdai::rules {
namespace {

constexpr std::string_view k_home_directories[] = {"downloads", "documents", "desktop", "pictures", "music", "videos"};

bool is_home_directory(const Word& w) {
  return std::find(std::begin(k_home_directories), std::end(k_home_directories), w.lower) !=
         std::end(k_home_directories);
}

bool is_directory_word(const Word& w) { return w.canon == "directory"; }

bool is_directory_name(const Word& w);

// Bare words that follow "folder"/"in" but are not directory names.
bool is_plain_name(const Word& w) {
  constexpr std::string_view k_not_names[] = {
      "size",   "permission", "background", "home", "current", "last",      "past",      "human", "readable",
      "format", "order",      "total",      "each", "file",    "directory", "container", "real",  "place",
      "one",    "same",       "reverse",    "tree", "detail",  "parallel",  "utc"};
  if (w.stop || w.consumed || w.raw.empty()) return false;
  if (!is_name_text(w.raw) || is_unit_word(w.lower)) return false;
  if (std::find(std::begin(k_not_names), std::end(k_not_names), w.canon) != std::end(k_not_names)) return false;
  // "the folder readable by everyone": adjectives are not names.
  if (w.lower.size() > 5 && (w.lower.ends_with("able") || w.lower.ends_with("ible"))) return false;
  // Common directory names are names even where templates know the word.
  if (is_directory_name(w)) return true;
  return !is_template_word(w.canon) && !is_template_word(w.lower);
}

bool is_directory_name(const Word& w) {
  constexpr std::string_view k_directory_names[] = {
      "src",    "docs",   "doc",     "photos", "project",      "projects", "build", "dist",   "logs",
      "data",   "backup", "backups", "tmp",    "node_modules", "bin",      "lib",   "test",   "tests",
      "config", "assets", "images",  "site",   "www",          "output",   "out",   "public", "static",
      "vendor", "notes",  "code",    "repo",   "downloads",    "scripts"};
  return std::find(std::begin(k_directory_names), std::end(k_directory_names), w.lower) != std::end(k_directory_names);
}

std::string home_path(const Word& w) {
  std::string name = w.lower;
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return "~/" + name;
}

void add_path(Slots& slots, std::string path, std::initializer_list<Word*> taken) {
  for (Word* w : taken) w->consumed = w->place = true;
  if (std::find(slots.paths.begin(), slots.paths.end(), path) == slots.paths.end()) {
    slots.paths.push_back(std::move(path));
    slots.path_words.push_back(static_cast<std::size_t>(*taken.begin() - slots.words.data()));
  }
}

// "in my home dir", "in home", "in this directory", "in Downloads".
bool take_after_preposition(Slots& slots, std::size_t i) {
  auto& words = slots.words;
  std::size_t j = i + 1;
  while (j < words.size() && (words[j].lower == "my" || words[j].lower == "the" || words[j].lower == "all")) ++j;
  if (j >= words.size()) return false;
  Word& w = words[j];
  Word* next = j + 1 < words.size() && is_directory_word(words[j + 1]) ? &words[j + 1] : nullptr;
  if (is_home_directory(w)) {
    add_path(slots, home_path(w), {&w});
  } else if (w.lower == "home") {
    add_path(slots, "~", {&w});
  } else if ((w.lower == "current" || w.lower == "this") && next) {
    add_path(slots, ".", {&w});
  } else if (is_plain_name(w) && (next || j + 1 == words.size() || is_directory_name(w))) {
    add_path(slots, w.raw, {&w});
  } else {
    return false;
  }
  if (next) next->consumed = next->place = true;
  return true;
}

}  // namespace

void extract_directory_words(Slots& slots) {
  auto& words = slots.words;
  for (std::size_t i = 0; i < words.size(); ++i) {
    Word& w = words[i];
    const bool preposition =
        w.lower == "in" || w.lower == "under" || w.lower == "inside" || w.lower == "within" || w.lower == "inside";
    if (preposition && take_after_preposition(slots, i)) continue;
    // "this folder", "the current directory" anywhere mean ".".
    if ((w.lower == "this" || w.lower == "current") && i + 1 < words.size() && is_directory_word(words[i + 1]) &&
        !words[i + 1].consumed) {
      add_path(slots, ".", {&w, &words[i + 1]});
      continue;
    }
    // "his home folder", "their home directory": a user's home, not yours.
    const bool someone_elses = i > 0 && (words[i - 1].lower == "his" || words[i - 1].lower == "her" ||
                                         words[i - 1].lower == "their" || words[i - 1].lower == "its");
    if (w.lower == "home" && someone_elses) continue;
    // "the home directory", "my home folder", "search my home for".
    if (w.lower == "home" && i + 1 < words.size() && is_directory_word(words[i + 1]) && !words[i + 1].consumed) {
      add_path(slots, "~", {&w, &words[i + 1]});
      continue;
    }
    if (w.lower == "home" && w.raw != "HOME" && i > 0 && words[i - 1].lower == "my" && !w.consumed) {
      add_path(slots, "~", {&w});
      continue;
    }
    // "the Downloads folder", "my project directory".
    if (i + 1 < words.size() && is_directory_word(words[i + 1]) && (is_home_directory(w) || is_plain_name(w)) &&
        w.lower != "home") {
      add_path(slots, is_home_directory(w) ? home_path(w) : w.raw, {&w, &words[i + 1]});
      continue;
    }
    // "the folder docs": a plain name right after the directory word.
    if (is_directory_word(w) && i + 1 < words.size() && is_plain_name(words[i + 1])) {
      add_path(slots, words[i + 1].raw, {&words[i + 1]});
    }
  }
}

}  // namespace cmdai::rules
