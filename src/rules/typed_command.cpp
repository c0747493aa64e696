#include "rules/typed_command.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "rules/modifiers.h"
#include "rules/slots.h"
#include "rules/vocabulary.h"
#include "rules/words.h"

namespace cmdai::rules {
namespace {

// How a program's arguments read.
enum class Arguments {
  subcommands,  // "git checkout main", "npm i -g pnpm": bare words are its verbs and names
  plain,        // "pkill firefox", "du -sh": a name no one types as prose
  word,         // "find", "kill", "sort": an English word too, so it needs a value-shaped argument
};

struct Program {
  std::string_view name;
  Arguments arguments;
};

constexpr Program k_programs[] = {
    {"apt", Arguments::subcommands},
    {"apt-get", Arguments::subcommands},
    {"brew", Arguments::subcommands},
    {"cargo", Arguments::subcommands},
    {"conda", Arguments::subcommands},
    {"dnf", Arguments::subcommands},
    {"docker", Arguments::subcommands},
    {"flatpak", Arguments::subcommands},
    {"gem", Arguments::subcommands},
    {"git", Arguments::subcommands},
    {"helm", Arguments::subcommands},
    {"hostnamectl", Arguments::subcommands},
    {"ip", Arguments::subcommands},
    {"journalctl", Arguments::subcommands},
    {"kubectl", Arguments::subcommands},
    {"launchctl", Arguments::subcommands},
    {"nmcli", Arguments::subcommands},
    {"npm", Arguments::subcommands},
    {"pacman", Arguments::subcommands},
    {"pip", Arguments::subcommands},
    {"pip3", Arguments::subcommands},
    {"pnpm", Arguments::subcommands},
    {"podman", Arguments::subcommands},
    {"snap", Arguments::subcommands},
    {"systemctl", Arguments::subcommands},
    {"timedatectl", Arguments::subcommands},
    {"yarn", Arguments::subcommands},
    {"yum", Arguments::subcommands},
    {"awk", Arguments::plain},
    {"base64", Arguments::plain},
    {"bunzip2", Arguments::plain},
    {"bzip2", Arguments::plain},
    {"cat", Arguments::plain},
    {"chgrp", Arguments::plain},
    {"chmod", Arguments::plain},
    {"chown", Arguments::plain},
    {"cp", Arguments::plain},
    {"crontab", Arguments::plain},
    {"curl", Arguments::plain},
    {"df", Arguments::plain},
    {"dig", Arguments::plain},
    {"dmesg", Arguments::plain},
    {"du", Arguments::plain},
    {"echo", Arguments::plain},
    {"egrep", Arguments::plain},
    {"env", Arguments::plain},
    {"export", Arguments::plain},
    {"findmnt", Arguments::plain},
    {"fuser", Arguments::plain},
    {"getent", Arguments::plain},
    {"grep", Arguments::plain},
    {"gunzip", Arguments::plain},
    {"gzip", Arguments::plain},
    {"hostname", Arguments::plain},
    {"htop", Arguments::plain},
    {"ifconfig", Arguments::plain},
    {"iostat", Arguments::plain},
    {"jq", Arguments::plain},
    {"killall", Arguments::plain},
    {"ln", Arguments::plain},
    {"ls", Arguments::plain},
    {"lsblk", Arguments::plain},
    {"lscpu", Arguments::plain},
    {"lshw", Arguments::plain},
    {"lsof", Arguments::plain},
    {"lspci", Arguments::plain},
    {"lsusb", Arguments::plain},
    {"md5sum", Arguments::plain},
    {"mkdir", Arguments::plain},
    {"mv", Arguments::plain},
    {"nc", Arguments::plain},
    {"ncdu", Arguments::plain},
    {"netstat", Arguments::plain},
    {"nohup", Arguments::plain},
    {"nproc", Arguments::plain},
    {"nslookup", Arguments::plain},
    {"openssl", Arguments::plain},
    {"pgrep", Arguments::plain},
    {"ping", Arguments::plain},
    {"pkill", Arguments::plain},
    {"printenv", Arguments::plain},
    {"ps", Arguments::plain},
    {"pstree", Arguments::plain},
    {"pwd", Arguments::plain},
    {"readlink", Arguments::plain},
    {"realpath", Arguments::plain},
    {"renice", Arguments::plain},
    {"rg", Arguments::plain},
    {"rm", Arguments::plain},
    {"rmdir", Arguments::plain},
    {"rsync", Arguments::plain},
    {"scp", Arguments::plain},
    {"sed", Arguments::plain},
    {"sha1sum", Arguments::plain},
    {"sha256sum", Arguments::plain},
    {"shasum", Arguments::plain},
    {"ss", Arguments::plain},
    {"ssh", Arguments::plain},
    {"ssh-copy-id", Arguments::plain},
    {"ssh-keygen", Arguments::plain},
    {"stat", Arguments::plain},
    {"sysctl", Arguments::plain},
    {"tac", Arguments::plain},
    {"tar", Arguments::plain},
    {"traceroute", Arguments::plain},
    {"tr", Arguments::plain},
    {"umask", Arguments::plain},
    {"uname", Arguments::plain},
    {"uniq", Arguments::plain},
    {"unset", Arguments::plain},
    {"unxz", Arguments::plain},
    {"unzip", Arguments::plain},
    {"uptime", Arguments::plain},
    {"vmstat", Arguments::plain},
    {"wc", Arguments::plain},
    {"wget", Arguments::plain},
    {"whoami", Arguments::plain},
    {"whois", Arguments::plain},
    {"xargs", Arguments::plain},
    {"xz", Arguments::plain},
    {"zcat", Arguments::plain},
    {"zip", Arguments::plain},
    {"alias", Arguments::word},
    {"cal", Arguments::word},
    {"cut", Arguments::word},
    {"date", Arguments::word},
    {"diff", Arguments::word},
    {"file", Arguments::word},
    {"find", Arguments::word},
    {"free", Arguments::word},
    {"head", Arguments::word},
    {"history", Arguments::word},
    {"id", Arguments::word},
    {"kill", Arguments::word},
    {"less", Arguments::word},
    {"locate", Arguments::word},
    {"mount", Arguments::word},
    {"nice", Arguments::word},
    {"paste", Arguments::word},
    {"sleep", Arguments::word},
    {"sort", Arguments::word},
    {"source", Arguments::word},
    {"split", Arguments::word},
    {"tail", Arguments::word},
    {"time", Arguments::word},
    {"top", Arguments::word},
    {"touch", Arguments::word},
    {"tree", Arguments::word},
    {"type", Arguments::word},
    {"umount", Arguments::word},
    {"watch", Arguments::word},
    {"which", Arguments::word},
    {"who", Arguments::word},
};

// The verbs of the programs people mistype most; a first bare word that is
// none of them ("git stat") makes the request something other than a
// command. Programs not listed take any word.
struct Verbs {
  std::string_view program;
  std::string_view verbs;  // space-separated
};

constexpr Verbs k_verbs[] = {
    {"git",
     "add am apply archive bisect blame branch checkout cherry-pick clean clone commit config describe diff fetch "
     "grep init log ls-files merge mv pull push rebase reflog remote reset restore revert rm shortlog show stash "
     "status submodule switch tag worktree"},
    {"docker",
     "build builder compose container cp exec image images info inspect kill login logout logs network pause port "
     "ps pull push restart rm rmi run save start stats stop system tag top unpause version volume"},
    {"npm",
     "audit ci config exec i init install link list ll ls outdated pack prune publish rebuild remove rm run "
     "run-script search start test uninstall update upgrade version view why"},
    {"apt", "autoclean autoremove clean full-upgrade install list purge reinstall remove search show update upgrade"},
    {"brew", "cleanup doctor info install list outdated search services tap uninstall untap update upgrade"},
    {"pip", "check download freeze index install list show uninstall wheel"},
    {"systemctl",
     "cat daemon-reload disable edit enable is-active is-enabled is-failed list-timers list-unit-files list-units "
     "mask reload restart show start status stop unmask"},
};

bool is_known_subcommand(std::string_view program, std::string_view word) {
  if (is_flag(word) || word.starts_with('\'') || word.starts_with('"')) return true;
  for (const Verbs& v : k_verbs) {
    if (v.program != program) continue;
    std::size_t start = 0;
    while (start < v.verbs.size()) {
      const auto end = std::min(v.verbs.find(' ', start), v.verbs.size());
      if (v.verbs.substr(start, end - start) == word) return true;
      start = end + 1;
    }
    return false;
  }
  return true;
}

const Program* find_program(std::string_view name) {
  for (const Program& p : k_programs) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// Splits on blanks, keeping quoted text inside its word. nullopt for a
// quote that never closes.
std::optional<std::vector<std::string_view>> split_arguments(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
      if (text[i] == '\'' || text[i] == '"') {
        const auto close = text.find(text[i], i + 1);
        if (close == std::string_view::npos) return std::nullopt;
        i = close;
      }
      ++i;
    }
    words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Bytes that would make the request more than one simple command (or hide
// one): separators, redirections, substitutions, control characters.
bool has_unsafe_bytes(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f || std::string_view(";&<>`()\\").find(text[i]) != std::string_view::npos) return true;
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '(') return true;
    if (c == '|' && i + 1 < text.size() && text[i + 1] == '|') return true;
  }
  return false;
}

bool is_value_shaped(std::string_view word) {
  if (is_flag(word) || word.starts_with('\'') || word.starts_with('"')) return true;
  if (word.find_first_of("/~.=*$@:?[%+,") != std::string_view::npos) return true;
  return std::all_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A bare word that reads as prose: a stop word ("the", "in", "all"; single
// letters such as "i" in "npm i" are options), a spelled number, or, for
// programs that take no verbs, a word the template library knows.
bool is_prose(std::string_view word, Arguments arguments) {
  const std::string w = lower(word);
  const std::string canon = canonical_word(w);
  if (w.size() > 1 && (is_stop_word(w) || is_stop_word(canon))) return true;
  constexpr std::string_view k_numbers[] = {"one", "two",   "three", "four", "five",
                                            "six", "seven", "eight", "nine", "ten"};
  if (std::find(std::begin(k_numbers), std::end(k_numbers), w) != std::end(k_numbers)) return true;
  constexpr std::string_view k_prepositions[] = {"into", "onto", "via", "over", "through", "inside", "without"};
  if (std::find(std::begin(k_prepositions), std::end(k_prepositions), w) != std::end(k_prepositions)) return true;
  return arguments != Arguments::subcommands && (is_meaning_word(w) || is_meaning_word(canon));
}

bool is_bare(std::string_view word) { return !is_value_shaped(word); }

bool is_adverb(std::string_view word) { return word.size() > 4 && word.ends_with("ly"); }

// One command of a pipeline. Bare words of a plain program must not read
// as prose ("xz compress disk.img") unless options came first ("tar czf
// x.tgz logs", "du -sh logs").
// An English-word program takes a bare word only as an option's short
// argument ("find . -type f").
bool is_command(std::vector<std::string_view> words) {
  if (!words.empty() && words[0] == "sudo") words.erase(words.begin());
  if (words.empty()) return false;
  const Program* program = find_program(words[0]);
  if (program == nullptr) return false;
  if (program->arguments != Arguments::plain && words.size() < 2) return false;
  // "git stat" is a typo, not a command.
  if (words.size() > 1 && !is_known_subcommand(words[0], words[1])) return false;
  bool after_option = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    const bool follows_flag = is_flag(words[i - 1]);
    if (is_flag(w)) after_option = true;
    if (!is_bare(w)) continue;
    if (is_adverb(w)) return false;  // "numerically", "recursively"
    if (program->arguments == Arguments::word) {
      if (!follows_flag || is_prose(w, w.size() <= 2 ? Arguments::subcommands : Arguments::plain)) return false;
      continue;
    }
    const bool option_cluster = i > 1 && is_bare(words[1]) && !is_prose(words[1], program->arguments);
    const bool operand = after_option || option_cluster;
    if (is_prose(w, operand ? Arguments::subcommands : program->arguments)) return false;
  }
  return true;
}

// "git log oldest first": a phrase of the modifier lexicon of two words or
// more ("oldest first", "since the last boot") is English, not operands.
bool has_modifier_phrase(std::string_view request) {
  const Slots slots = extract_slots(request);
  const auto uses = find_modifiers(slots.words);
  return std::any_of(uses.begin(), uses.end(), [](const ModifierUse& use) { return use.length > 1; });
}

}  // namespace

bool is_flag(std::string_view word) {
  if (word.size() < 2 || word[0] != '-') return false;
  const char next = word[1] == '-' && word.size() > 2 ? word[2] : word[1];
  return std::isalnum(static_cast<unsigned char>(next)) != 0;
}

std::optional<TypedCommand> typed_command(std::string_view request) {
  while (!request.empty() && (request.front() == ' ' || request.front() == '\t')) request.remove_prefix(1);
  while (!request.empty() && (request.back() == ' ' || request.back() == '\t')) request.remove_suffix(1);
  if (request.empty() || has_unsafe_bytes(request)) return std::nullopt;
  auto words = split_arguments(request);
  if (!words) return std::nullopt;
  TypedCommand typed{std::string(request), words->size() == 1};
  std::vector<std::string_view> segment;
  for (std::size_t i = 0; i <= words->size(); ++i) {
    if (i < words->size() && (*words)[i] != "|") {
      const std::string_view word = (*words)[i];
      // "aux|grep": a pipe glued to a word would hide the next command.
      if (word.find('|') != std::string_view::npos && !word.starts_with('\'') && !word.starts_with('"')) {
        return std::nullopt;
      }
      if (!segment.empty() && !is_bare(word)) typed.has_values = true;
      segment.push_back(word);
      continue;
    }
    if (!is_command(segment)) return std::nullopt;
    if (i < words->size()) typed.has_values = true;  // a pipeline is shell already
    segment.clear();
  }
  if (has_modifier_phrase(request)) return std::nullopt;
  return typed;
}

}  // namespace cmdai::rules
