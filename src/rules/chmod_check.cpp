#include "rules/chmod_check.h"

#include <algorithm>
#include <optional>
#include <string>

namespace cmdai::rules {
namespace {

// Permission classes as bits.
constexpr unsigned k_owner = 1;
constexpr unsigned k_group = 2;
constexpr unsigned k_others = 4;
constexpr unsigned k_everyone = k_owner | k_group | k_others;

enum class Direction { none, add, take_away };

struct SymbolicMode {
  unsigned classes = 0;
  Direction direction = Direction::none;  // '=' sets exactly: neither
};

// "u+x", "go-w", "-t", "a=r", "u+x,g-w" (each clause's classes and
// operator; mixed operators leave the direction unknown). Anything else,
// numeric modes included, is no symbolic mode.
std::optional<SymbolicMode> parse_symbolic(std::string_view token) {
  if (token.empty() || token.find_first_of("+-=") == std::string_view::npos) return std::nullopt;
  SymbolicMode mode;
  bool first = true;
  while (!token.empty()) {
    const auto comma = std::min(token.find(','), token.size());
    const std::string_view clause = token.substr(0, comma);
    const auto op_at = clause.find_first_of("+-=");
    if (op_at == std::string_view::npos) return std::nullopt;
    unsigned classes = 0;
    for (char c : clause.substr(0, op_at)) {
      if (c == 'u')
        classes |= k_owner;
      else if (c == 'g')
        classes |= k_group;
      else if (c == 'o')
        classes |= k_others;
      else if (c == 'a')
        classes |= k_everyone;
      else
        return std::nullopt;
    }
    const std::string_view perms = clause.substr(op_at + 1);
    if (!std::all_of(perms.begin(), perms.end(),
                     [](char c) { return std::string_view("rwxXstugo").find(c) != std::string_view::npos; })) {
      return std::nullopt;
    }
    const Direction d = clause[op_at] == '+'   ? Direction::add
                        : clause[op_at] == '-' ? Direction::take_away
                                               : Direction::none;
    mode.classes |= classes == 0 ? k_everyone : classes;
    mode.direction = first || mode.direction == d ? d : Direction::none;
    first = false;
    token = comma < token.size() ? token.substr(comma + 1) : std::string_view();
  }
  return mode;
}

// The first symbolic mode of each chmod in the command.
std::vector<SymbolicMode> chmod_modes(std::string_view command) {
  std::vector<SymbolicMode> modes;
  bool in_chmod = false;
  for (std::size_t at = 0; at < command.size();) {
    const auto end = std::min(command.find_first_of(" \t", at), command.size());
    const std::string_view token = command.substr(at, end - at);
    at = end + 1;
    if (token.empty()) continue;
    if (token == "chmod") {
      in_chmod = true;
    } else if (in_chmod) {
      if (auto mode = parse_symbolic(token)) {
        modes.push_back(*mode);
        in_chmod = false;
      } else if (!token.starts_with('-')) {
        in_chmod = false;  // a numeric mode or a file: nothing to check
      }
    }
    if (token == "|" || token == "&&" || token == ";" || token == "||") in_chmod = false;
  }
  return modes;
}

unsigned named_class(std::string_view w) {
  if (w == "owner" || w == "owners" || w == "me" || w == "myself") return k_owner;
  if (w == "group" || w == "groups") return k_group;
  if (w == "others" || w == "other" || w == "world") return k_others;
  if (w == "everyone" || w == "everybody" || w == "anyone" || w == "anybody") return k_everyone;
  return 0;
}

Direction named_direction(std::string_view w) {
  constexpr std::string_view k_take[] = {"remove", "take", "revoke",   "drop",     "strip",  "unset",
                                         "clear",  "deny", "withdraw", "disallow", "without"};
  constexpr std::string_view k_add[] = {"add", "give", "grant", "allow"};
  if (listed(k_take, w)) return Direction::take_away;
  if (listed(k_add, w)) return Direction::add;
  return Direction::none;
}

// "everything in", "all files under", "its contents": the request is about
// what a directory holds.
bool names_contents(const std::vector<Word>& words) {
  constexpr std::string_view k_into[] = {"in", "inside", "under", "below", "within", "beneath"};
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& w = words[i].lower;
    const std::string& next = words[i + 1].lower;
    if (w == "everything" && listed(k_into, next)) return true;
    if (w == "all" && i + 2 < words.size() && (next == "files" || next == "the") &&
        (listed(k_into, words[i + 2].lower) || (next == "the" && words[i + 2].lower == "files" &&
                                                i + 3 < words.size() && listed(k_into, words[i + 3].lower)))) {
      return true;
    }
    if ((w == "its" || w == "their") && (next == "contents" || next == "content")) return true;
  }
  return false;
}

// Whether a chmod, chown or chgrp of the command lacks -R / --recursive.
bool changes_without_recursion(std::string_view command) {
  bool in_change = false;
  bool recursive = false;
  bool found = false;
  auto close = [&] {
    if (in_change && !recursive) found = true;
    in_change = recursive = false;
  };
  for (std::size_t at = 0; at < command.size();) {
    const auto end = std::min(command.find_first_of(" \t", at), command.size());
    const std::string_view token = command.substr(at, end - at);
    at = end + 1;
    if (token == "chmod" || token == "chown" || token == "chgrp") {
      close();
      in_change = true;
    } else if (token == "|" || token == "&&" || token == ";" || token == "||") {
      close();
    } else if (in_change && (token == "--recursive" || (token.size() > 1 && token[0] == '-' && token[1] != '-' &&
                                                        token.find('R') != std::string_view::npos))) {
      recursive = true;
    }
  }
  close();
  return found;
}

}  // namespace

bool misses_contents(const std::vector<Word>& words, std::string_view command) {
  return names_contents(words) && changes_without_recursion(command);
}

bool chmod_contradicts(const std::vector<Word>& words, std::string_view command) {
  const auto modes = chmod_modes(command);
  if (modes.empty()) return false;
  unsigned classes = 0;
  Direction direction = Direction::none;
  for (const Word& w : words) {
    if (w.consumed) continue;
    classes |= named_class(w.lower);
    if (direction == Direction::none) direction = named_direction(w.lower);
  }
  return std::any_of(modes.begin(), modes.end(), [&](const SymbolicMode& m) {
    if (classes != 0 && m.classes != classes) return true;
    return direction != Direction::none && m.direction != Direction::none && m.direction != direction;
  });
}

}  // namespace cmdai::rules
