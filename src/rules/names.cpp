#include "rules/names.h"

#include <algorithm>
#include <iterator>

#include "core/edit_distance.h"
#include "rules/slot_passes.h"
#include "rules/templates.h"
#include "rules/typed_command.h"
#include "rules/vocabulary.h"

namespace cmdai::rules {
namespace {

// Plain English that never names a user, a process or a package. Words the
// template library gives meaning to are not listed: vocabulary.h knows them.
constexpr std::string_view k_plain_words[] = {
    "about",   "above",    "across",   "actual",  "after",      "again",      "ago",        "along",      "another",
    "anyone",  "anything", "around",   "back",    "because",    "been",       "before",     "being",      "below",
    "between", "both",     "but",      "contain", "containing", "contains",   "do",         "doing",      "done",
    "down",    "each",     "either",   "else",    "etc",        "everyone",   "everything", "exactly",    "go",
    "going",   "had",      "help",     "if",      "into",       "it's",       "least",      "lot",        "lots",
    "make",    "many",     "may",      "maybe",   "mention",    "mentioning", "mentions",   "might",      "mine",
    "more",    "most",     "much",     "must",    "neither",    "no",         "not",        "nothing",    "off",
    "once",    "one",      "onto",     "other",   "our",        "out",        "over",       "own",        "per",
    "same",    "shall",    "so",       "someone", "something",  "still",      "such",       "sure",       "thank",
    "thanks",  "thx",      "their",    "them",    "they",       "through",    "try",        "two",        "under",
    "until",   "up",       "us",       "via",     "we",         "when",       "whether",    "while",      "who",
    "whom",    "whose",    "why",      "yes",     "yet",        "able",       "trying",     "instead",    "first",
    "last",    "next",     "previous", "three",   "without",    "within",     "inside",     "regardless", "grow",
    "grows",   "accept",   "accepts",  "rotated",
};

// Words that name a character, not text to look for ("replace commas with
// tabs" is not s/commas/tabs/).
constexpr std::string_view k_character_names[] = {
    "comma",      "commas",  "tab",        "tabs",        "space",       "spaces",      "semicolon", "semicolons",
    "colon",      "colons",  "newline",    "newlines",    "linebreak",   "linebreaks",  "period",    "periods",
    "dot",        "dots",    "slash",      "slashes",     "backslash",   "backslashes", "dash",      "dashes",
    "hyphen",     "hyphens", "underscore", "underscores", "quote",       "quotes",      "pipe",      "pipes",
    "whitespace", "bracket", "brackets",   "parenthesis", "parentheses", "asterisk",    "asterisks", "ampersand",
};

// Programs, services and packages people name that are also words the
// library gives meaning to ("restart docker", "show info about htop"): as a
// value they name themselves.
constexpr std::string_view k_program_words[] = {
    "docker",
    "nginx",
    "apache2",
    "apache",
    "ssh",
    "sshd",
    "mysql",
    "mariadb",
    "postgres",
    "postgresql",
    "redis",
    "htop",
    "git",
    "node",
    "nodejs",
    "python",
    "python3",
    "npm",
    "curl",
    "wget",
    "vim",
    "tmux",
    "cron",
    "zsh",
    "bash",
    "fish",
    "ufw",
    "java",
    "go",
    "ruby",
    "perl",
    "php",
    "make",
    "cmake",
    "gcc",
    "jq",
    "tree",
    "rsync",
    "firefox",
    "chrome",
    "code",
    "nano",
    "emacs",
    "screen",
    "top",
    "openssh",
    "certbot",
    "snapd",
    "containerd",
    "kubelet",
    // Images every registry has.
    "ubuntu",
    "debian",
    "alpine",
    "busybox",
    "fedora",
    "centos",
    // Users and groups every system has.
    "root",
    "staff",
    "wheel",
    "sudo",
    "admin",
    "adm",
    "www-data",
    "users",
    "nobody",
};

bool has_letter_or_digit(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) != 0; });
}

bool is_typo_of_plain_word(std::string_view word) {
  return word.size() >= 5 && std::any_of(std::begin(k_plain_words), std::end(k_plain_words), [&](std::string_view w) {
           return w.size() >= 4 && edit_distance(w, word) <= 1;
         });
}

// A word a free name may be: what is left after stop words, meaning words,
// their typos and plain English.
bool is_name_like(const Word& w) {
  if (w.stop || w.raw.size() < 2 || !has_letter_or_digit(w.raw) || w.raw.starts_with('-') || is_flag(w.raw)) {
    return false;
  }
  if (is_meaning_word(w.canon) || is_meaning_word(w.lower) || listed(k_plain_words, w.lower)) return false;
  // "recursively", "numerically": a manner, which the matcher checks.
  if (w.lower.size() >= 6 && w.lower.ends_with("ly")) return false;
  if (is_inflected_meaning_word(w.lower) || is_unit_word(w.lower)) return false;
  // Only a lower-case word is a typo: "DOCKER_" or "Makefile" is typed as meant.
  const bool plain_letters = std::all_of(w.raw.begin(), w.raw.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  return !plain_letters || w.named || !(is_typo_of_meaning_word(w.lower) || is_typo_of_plain_word(w.lower));
}

// The program a template's command runs ("ncdu ." runs ncdu, "sudo apt
// install" runs apt): a request that names it names a program or package.
void add_program(std::vector<std::string>& programs, std::string_view pattern) {
  for (std::size_t at = 0; at < pattern.size();) {
    const auto end = std::min(pattern.find(' ', at), pattern.size());
    const std::string_view token = pattern.substr(at, end - at);
    at = end + 1;
    if (token.empty() || token == "sudo" || token.find('=') != std::string_view::npos) continue;
    if (token.find_first_of("%{}$'\"|<>&;()") == std::string_view::npos) programs.emplace_back(token);
    return;
  }
}

bool is_template_program(std::string_view lower) {
  static const std::vector<std::string> programs = [] {
    std::vector<std::string> out;
    for (const auto& t : template_library().templates) {
      add_program(out, t.row->gnu);
      add_program(out, t.row->bsd);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }();
  return std::binary_search(programs.begin(), programs.end(), lower);
}

}  // namespace

bool is_value_word(const Word& word) {
  if (!word.stop && (listed(k_program_words, word.lower) || is_template_program(word.lower))) return true;
  return is_name_like(word) && !listed(k_character_names, word.lower);
}

std::vector<std::string> free_names(const Slots& slots) {
  std::vector<std::string> names;
  for (const Word& w : slots.words) {
    if (w.consumed || w.place || !is_name_like(w)) continue;
    if (std::find(names.begin(), names.end(), w.raw) == names.end()) names.push_back(w.raw);
  }
  return names;
}

}  // namespace cmdai::rules
