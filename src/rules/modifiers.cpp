#include "rules/modifiers.h"

#include <algorithm>

#include "rules/words.h"

namespace cmdai::rules {
namespace {

// clang-format off
constexpr Modifier k_lexicon[] = {
  // Order, selection and form of the output.
  {"previous", "previous", ""},
  {"sorted", "sorted|descending|ascending", "sort*|order*"},
  {"reverse", "reverse|reversed|inverted|invert|last line first|last lines first|bottom to top|bottom up|backwards",
   "reverse*|invert*|backward*|tac"},
  {"listing order",
   "largest first|biggest first|smallest first|oldest first|newest first|latest first|recent first|"
   "largest * first|biggest * first|smallest * first|oldest * first|newest * first",
   "first|sort*|order*"},
  {"oldest", "oldest", "old*|least"},
  {"newest", "newest|most recent|most recently", "new*|recent|latest|last"},
  {"extremes", "most|least|fewest", "most|least|top|largest|biggest|smallest|highest|lowest|heav*|hog*"},
  {"count", "count", "number"},
  {"anchored", "end with|ends with|ending with|ending in|start with|starts with|starting with|begin with|begins with|beginning with",
   "starting|ending|prefix|suffix|anchor*"},
  {"numbered", "number the lines|number lines|number each line|numbered|numbering|with line numbers|line numbers",
   "numbered|numbering"},
  {"details", "details|detailed", "detail*|info|information|verbose|full"},
  {"sizes", "sizes", "size*"},
  {"hidden", "hidden", "hidden|dotfile*|all"},
  {"literal", "literal|exact", "literal|exact*|fixed"},
  {"unique", "unique|distinct|dedupe|deduplicate|duplicate|duplicates|duplicated", "unique|uniq|distinct|dedup*|duplicate*"},
  {"case", "case-insensitive|insensitive|insensitively|ignoring case|ignore case|any case", "insensitive*|case|ignore|ignoring"},
  // Not "word": "the word port" names a search, not a whole-word match.
  {"whole word", "whole word|whole words|whole-word|entire word", "whole|entire"},
  // Only the part of each line that matched: `grep -o`.
  {"matching part", "matching part|matched part|matching parts|only the match|only the matches|just the match|"
   "just the matches|only matching|only the matching|just the matching", "part|portion|only-matching"},
  // The order of the lines themselves, not an order their text sorts in.
  {"line order", "order of the lines|order of lines|order of its lines|order of all lines|line order", "tac"},
  {"graph", "graph|graphical|chart|as a tree|in a tree", "graph*|chart|tree"},
  {"format", "json|yaml", ""},
  // A unit the output is asked in: "free memory in megabytes".
  {"bytes", "in bytes", "byte*"},
  // How hard a compressor works: a default level answers neither.
  {"max compression",
   "maximum compression|max compression|highest compression|best compression|strongest compression|highest level|"
   "maximum level|best level|as small as possible|smallest possible",
   "max*|best|highest|strongest|smallest|-9"},
  {"fast compression", "fastest compression|fast compression|quickest compression|lowest level|least compression",
   "fast*|quick*|speed|lowest"},
  {"kilobytes", "in kilobytes|in kilobyte|in kb|in kib", "kilobyte*|kb|kib"},
  {"megabytes", "in megabytes|in megabyte|in mb|in mib|in megs", "megabyte*|mb|mib|meg|megs"},
  {"gigabytes", "in gigabytes|in gigabyte|in gb|in gib|in gigs", "gigabyte*|gb|gib|gig|gigs"},
  // What the command acts on.
  // Not "tail": a template's word for the last lines ("tail of app.log"),
  // not for following them; the templates that follow list "follow".
  // A part of a response: "just the headers" is not the page.
  {"headers", "header|headers", "header*|head"},
  {"follow", "follow|following|streaming|live|realtime|real-time|as it grows|as they happen|as they arrive",
   "follow|live|stream*|realtime|real-time|watch"},
  {"errors", "error|errors|err|warning|warnings|failed|failures|failure", "error|err|fail*|warn*|critical|problem"},
  {"empty", "empty", ""},
  {"broken", "broken|dangling", ""},
  {"established", "established", ""},
  // A filter on state that "all" does not honour: "only the stopped containers".
  {"only stopped", "only stopped|only the stopped|stopped only|just stopped|just the stopped|only exited|only the exited|exited only",
   "status"},
  {"listening", "listening", "listen*|open|bound|using|running|on"},
  {"protocol", "udp|ipv6|ipv4", ""},
  {"hardware", "usb|pci|bluetooth|gpu|battery|wifi|wireless", ""},
  {"firewall", "firewall|iptables|ufw|nftables", ""},
  {"kernel", "kernel|dmesg", ""},
  // Which boot a log covers: "since the last boot" is this boot only.
  {"this boot", "since boot|since the boot|since last boot|since the last boot|since bootup|since startup|since reboot|"
   "since the last reboot|this boot|current boot|the current boot", "boot|bootup"},
  // The per-user systemd instance: `--user`, not the system's units.
  {"user unit", "user unit|user units|user service|user services|user journal|user-level|user level|user instance",
   "user|--user"},
  // Where a search starts: "on the whole system" is /, not here.
  {"whole system", "whole system|entire system|whole machine|entire machine|whole filesystem|entire filesystem|"
   "whole computer|entire computer|system-wide|systemwide|all of /",
   "system-wide|upgrade*|update*|reboot|shutdown|poweroff|restart|halt|backup"},
  // A time zone the answer is asked in.
  {"utc", "utc|gmt|zulu|universal time", "utc|gmt|zulu|universal"},
  {"filesystem type", "ext4|ext3|ext2|xfs|btrfs|vfat|fat32|ntfs|exfat|zfs", ""},
  {"remote", "remote|upstream|remotely", "remote|upstream|push|origin|fetch"},
  {"staged", "staged|unstaged|untracked|uncommitted", "staged|unstaged|untracked|uncommitted|cached|status|change*"},
  {"dev", "dev", ""},
  {"volumes", "volumes|volume", "volume"},
  {"between", "between", "between|diff*|compare|range|to|through"},
  {"month", "january|february|march|april|june|july|august|september|october|november|december|in may|for may",
   ""},
  // How the command runs.
  {"pause", "pause|unpause|suspend|resume", ""},
  // A process's parent is another process: "kill the parent of 5000" is not `kill 5000`.
  {"parent", "parent|ppid", "parent|ppid"},
  {"revoke", "take away|revoke|revoked|withdraw|take off", "revoke*|remove|delete|take|no|not|without|deny|prevent"},
  {"disable", "disable|disabled|enable|enabled", ""},
  {"jump host", "jump|jumphost|bastion|proxyjump", "jump|jumphost|bastion|proxyjump|proxy"},
  {"over ssh", "over ssh|via ssh|through ssh|using ssh|over scp", "ssh|scp|sftp|rsync|remote"},
  {"dry run", "dry run|dry-run|simulate|without actually", "dry|dry-run|simulate"},
  // A variable set for one command only: `VAR=value command`, not `export`.
  {"one command", "just for that command|only for that command|for that command only|just for this command|"
   "only for this command|for this command only|for one command|for a single command|just for one command",
   "once|prefix|one-off"},
};
// clang-format on

bool pattern_matches(std::string_view pattern, std::string_view word) {
  if (pattern.ends_with('*')) return word.starts_with(pattern.substr(0, pattern.size() - 1));
  return word == pattern;
}

// The number of words `phrase` covers from `at`, or 0 when it does not start there.
std::size_t phrase_at(std::string_view phrase, const std::vector<Word>& words, std::size_t at) {
  const auto parts = split_list(phrase, ' ');
  if (at + parts.size() > words.size()) return 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!pattern_matches(parts[i], words[at + i].lower)) return 0;
  }
  return parts.size();
}

}  // namespace

std::span<const Modifier> modifier_lexicon() { return k_lexicon; }

std::vector<ModifierUse> find_modifiers(const std::vector<Word>& words) {
  std::vector<ModifierUse> found;
  for (std::size_t at = 0; at < words.size(); ++at) {
    if (words[at].consumed || words[at].place) continue;
    for (const Modifier& m : k_lexicon) {
      std::size_t length = 0;
      for (auto phrase : split_list(m.phrases, '|')) length = std::max(length, phrase_at(phrase, words, at));
      if (length == 0) continue;
      found.push_back(ModifierUse{&m, at, length});
      at += length - 1;
      break;
    }
  }
  return found;
}

bool explains(std::span<const std::string_view> known, const ModifierUse& use, const std::vector<Word>& words) {
  std::vector<std::string_view> answers = split_list(use.modifier->explained_by, '|');
  if (use.length == 1) {
    answers.push_back(words[use.first].lower);
    answers.push_back(words[use.first].canon);
  }
  return std::any_of(known.begin(), known.end(), [&](std::string_view pattern) {
    return std::any_of(answers.begin(), answers.end(),
                       [&](std::string_view a) { return pattern_matches(pattern, a) || pattern_matches(a, pattern); });
  });
}

}  // namespace cmdai::rules
