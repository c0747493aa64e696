#include "rules/effect.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace cmdai::rules {
namespace {

// One row: a program, what in its arguments decides (empty: anything; "-x"
// a short option, also inside a cluster such as "-xzf"; "--name" a long
// option, also "--name=value" and "--name-suffix", and so is "-delete" for
// programs with long options after one dash (find); a plain word a
// subcommand among the first two non-option arguments, a trailing '-'
// matching a prefix such as "set-ntp"), and the effect. The first row that
// matches decides; a program without rows is unknown.
struct EffectRow {
  std::string_view program;
  std::string_view needle;
  Effect effect;
};

constexpr Effect R = Effect::read;
constexpr Effect W = Effect::write;
constexpr Effect U = Effect::unknown;

// clang-format off
constexpr EffectRow k_effects[] = {
  // Files and text.
  {"rm", "", W}, {"rmdir", "", W}, {"shred", "", W}, {"unlink", "", W}, {"truncate", "", W}, {"mv", "", W},
  {"cp", "", W}, {"ln", "", W}, {"mkdir", "", W}, {"touch", "", W}, {"chmod", "", W}, {"chown", "", W},
  {"chgrp", "", W}, {"chattr", "", W}, {"setfacl", "", W}, {"dd", "", W}, {"tee", "", W}, {"fallocate", "", W},
  {"rsync", "", W}, {"scp", "", W}, {"wget", "", W}, {"patch", "", W}, {"install", "", W}, {"rename", "", W},
  {"sed", "-i", W}, {"sed", "--in-place", W}, {"sed", "", R}, {"perl", "-i", W}, {"perl", "", U},
  {"sort", "-o", W}, {"sort", "", R}, {"find", "-delete", W}, {"find", "-exec", U}, {"find", "-execdir", U},
  {"find", "", R}, {"curl", "-o", W}, {"curl", "-O", W}, {"curl", "--output", W}, {"curl", "-X", U}, {"curl", "-d", U},
  {"curl", "", R},
  {"ls", "", R}, {"cat", "", R}, {"head", "", R}, {"tail", "", R}, {"less", "", R}, {"more", "", R}, {"grep", "", R},
  {"egrep", "", R}, {"fgrep", "", R}, {"rg", "", R}, {"wc", "", R}, {"uniq", "", R}, {"cut", "", R}, {"awk", "", U},
  {"tr", "", R}, {"diff", "", R}, {"cmp", "", R}, {"stat", "", R}, {"file", "", R}, {"which", "", R}, {"du", "", R},
  {"df", "", R}, {"tree", "", R}, {"realpath", "", R}, {"readlink", "", R}, {"md5sum", "", R}, {"sha256sum", "", R},
  {"sha1sum", "", R}, {"base64", "", R}, {"jq", "", R}, {"xxd", "", R}, {"od", "", R}, {"column", "", R}, {"nl", "", R},
  {"tac", "", R}, {"rev", "", R}, {"fold", "", R}, {"iconv", "", R}, {"echo", "", R}, {"printf", "", R},
  {"basename", "", R}, {"dirname", "", R}, {"locate", "", R}, {"fd", "", R}, {"type", "", R}, {"man", "", R},
  // Archives.
  {"tar", "-c", W}, {"tar", "-x", W}, {"tar", "-r", W}, {"tar", "-u", W}, {"tar", "--create", W},
  {"tar", "--extract", W}, {"tar", "--append", W}, {"tar", "--delete", W}, {"tar", "", R},
  {"zip", "", W}, {"unzip", "-l", R}, {"unzip", "-Z", R}, {"unzip", "", W}, {"gzip", "-l", R}, {"gzip", "-t", R},
  {"gzip", "", W}, {"gunzip", "-l", R}, {"gunzip", "", W}, {"bzip2", "", W}, {"bunzip2", "", W}, {"xz", "-l", R},
  {"xz", "", W}, {"unxz", "", W}, {"zstd", "", W}, {"7z", "l", R}, {"7z", "", W}, {"zcat", "", R}, {"zless", "", R},
  // Processes and the system.
  {"kill", "-l", R}, {"kill", "", W}, {"pkill", "", W}, {"killall", "", W}, {"renice", "", W},
  {"reboot", "", W}, {"shutdown", "", W}, {"poweroff", "", W}, {"ps", "", R}, {"top", "", R}, {"htop", "", R},
  {"pgrep", "", R}, {"pidof", "", R}, {"free", "", R}, {"uname", "", R}, {"uptime", "", R}, {"whoami", "", R},
  {"id", "", R}, {"groups", "", R}, {"who", "", R}, {"w", "", R}, {"last", "", R}, {"lscpu", "", R}, {"lsblk", "", R},
  {"nproc", "", R}, {"vmstat", "", R}, {"iostat", "", R}, {"getent", "", R}, {"env", "", R}, {"printenv", "", R},
  {"date", "-s", W}, {"date", "--set", W}, {"date", "", R}, {"cal", "", R}, {"hostname", "", R},
  {"timedatectl", "set-", W}, {"timedatectl", "", R}, {"hostnamectl", "set-", W}, {"hostnamectl", "", R},
  {"crontab", "-l", R}, {"crontab", "", W}, {"export", "", W}, {"unset", "", W}, {"alias", "", W}, {"cd", "", W},
  {"source", "", W}, {"ulimit", "", U},
  // Users and groups.
  {"useradd", "", W}, {"usermod", "", W}, {"userdel", "", W}, {"adduser", "", W}, {"deluser", "", W},
  {"groupadd", "", W}, {"groupdel", "", W}, {"groupmod", "", W}, {"gpasswd", "", W}, {"strip", "", W}, {"passwd", "-S", R},
  {"passwd", "", W}, {"chsh", "", W}, {"chpasswd", "", W}, {"chage", "-l", R}, {"chage", "", W},
  // Services and logs.
  {"systemctl", "start", W}, {"systemctl", "stop", W}, {"systemctl", "restart", W}, {"systemctl", "reload", W},
  {"systemctl", "enable", W}, {"systemctl", "disable", W}, {"systemctl", "mask", W}, {"systemctl", "unmask", W},
  {"systemctl", "kill", W}, {"systemctl", "daemon-reload", W}, {"systemctl", "edit", W},
  {"systemctl", "set-", W}, {"systemctl", "isolate", W}, {"systemctl", "", R},
  {"service", "start", W}, {"service", "stop", W}, {"service", "restart", W}, {"service", "reload", W},
  {"service", "", R}, {"journalctl", "--vacuum", W}, {"journalctl", "--rotate", W}, {"journalctl", "", R},
  {"dmesg", "-C", W}, {"dmesg", "", R},
  // Network.
  {"ss", "", R}, {"netstat", "", R}, {"lsof", "", R}, {"ping", "", R}, {"dig", "", R}, {"nslookup", "", R},
  {"host", "", R}, {"traceroute", "", R}, {"tracepath", "", R}, {"mtr", "", R}, {"nc", "-z", R}, {"nc", "", U},
  {"ip", "add", W}, {"ip", "del", W}, {"ip", "set", W}, {"ip", "flush", W}, {"ip", "", R}, {"ifconfig", "", U},
  {"ufw", "status", R}, {"ufw", "", W}, {"iptables", "-L", R}, {"iptables", "-S", R}, {"iptables", "--list", R},
  {"iptables", "", W}, {"ssh-copy-id", "", W}, {"ssh-keygen", "-l", R}, {"ssh-keygen", "-F", R},
  {"ssh-keygen", "", W}, {"ssh-add", "-l", R}, {"ssh-add", "-L", R}, {"ssh-add", "", W},
  // Packages.
  {"apt", "list", R}, {"apt", "show", R}, {"apt", "search", R}, {"apt", "policy", R}, {"apt", "-s", R},
  {"apt", "", W}, {"apt-get", "-s", R}, {"apt-get", "", W}, {"apt-cache", "", R}, {"dpkg", "-i", W},
  {"dpkg", "-r", W}, {"dpkg", "-P", W}, {"dpkg", "--install", W}, {"dpkg", "--remove", W}, {"dpkg", "--purge", W},
  {"dpkg", "", R}, {"dpkg-query", "", R}, {"snap", "install", W}, {"snap", "remove", W}, {"snap", "refresh", W},
  {"snap", "", R}, {"pip", "install", W}, {"pip", "uninstall", W}, {"pip", "", R}, {"pip3", "install", W},
  {"pip3", "uninstall", W}, {"pip3", "", R}, {"npm", "install", W}, {"npm", "i", W}, {"npm", "uninstall", W},
  {"npm", "update", W}, {"npm", "ci", W}, {"npm", "ls", R}, {"npm", "list", R}, {"npm", "outdated", R},
  {"npm", "view", R}, {"npm", "", U}, {"yarn", "add", W}, {"yarn", "remove", W}, {"yarn", "", U},
  {"brew", "install", W}, {"brew", "uninstall", W}, {"brew", "upgrade", W}, {"brew", "", R},
  {"dnf", "install", W}, {"dnf", "remove", W}, {"dnf", "", R}, {"pacman", "-S", W}, {"pacman", "-R", W},
  {"pacman", "", R},
  // Containers.
  {"docker", "exec", U}, {"docker", "ps", R}, {"docker", "images", R}, {"docker", "logs", R},
  {"docker", "inspect", R}, {"docker", "stats", R}, {"docker", "top", R}, {"docker", "df", R},
  {"docker", "ls", R}, {"docker", "version", R}, {"docker", "info", R}, {"docker", "history", R},
  {"docker", "port", R}, {"docker", "list", R}, {"docker", "diff", R}, {"docker", "", W},
  {"docker-compose", "ps", R}, {"docker-compose", "logs", R}, {"docker-compose", "config", R},
  {"docker-compose", "", W}, {"kubectl", "get", R}, {"kubectl", "describe", R}, {"kubectl", "logs", R},
  {"kubectl", "top", R}, {"kubectl", "exec", U}, {"kubectl", "", W},
  // Git: the reading subcommands first, so "git stash list" reads and
  // "git branch -d" writes.
  {"git", "-d", W}, {"git", "-D", W}, {"git", "--delete", W}, {"git", "-m", W}, {"git", "-M", W},
  {"git", "--amend", W}, {"git", "--set-upstream-to", W}, {"git", "--unset", W},
  {"git", "status", R}, {"git", "log", R}, {"git", "diff", R}, {"git", "show", R}, {"git", "blame", R},
  {"git", "shortlog", R}, {"git", "rev-list", R}, {"git", "rev-parse", R}, {"git", "ls-files", R},
  {"git", "ls-remote", R}, {"git", "grep", R}, {"git", "reflog", R}, {"git", "describe", R}, {"git", "list", R},
  {"git", "show-branch", R}, {"git", "cat-file", R}, {"git", "count-objects", R}, {"git", "--get", R},
  {"git", "--list", R}, {"git", "-l", R}, {"git", "-v", R}, {"git", "-a", R}, {"git", "-r", R},
  {"git", "--show-current", R}, {"git", "--merged", R}, {"git", "--no-merged", R}, {"git", "branch", R},
  {"git", "tag", R}, {"git", "remote", R}, {"git", "stash", W}, {"git", "", W},
};
// clang-format on

bool is_short_option(std::string_view arg) { return arg.size() > 1 && arg[0] == '-' && arg[1] != '-'; }

bool matches(const EffectRow& row, const std::vector<std::string_view>& args) {
  if (row.needle.empty()) return true;
  // "--name" and find's "-delete": whole options, also "--name=value".
  if (row.needle.starts_with("--") || (row.needle.starts_with('-') && row.needle.size() > 2)) {
    return std::any_of(args.begin(), args.end(), [&](std::string_view a) { return a.starts_with(row.needle); });
  }
  if (row.needle.starts_with('-')) {
    const char letter = row.needle[1];
    return std::any_of(args.begin(), args.end(), [&](std::string_view a) {
      // "-i.bak" is sed's -i; in "-n5" only letters before a digit are options.
      return is_short_option(a) &&
             a.substr(1, a.find_first_of("0123456789.=") - 1).find(letter) != std::string_view::npos;
    });
  }
  int subcommands = 0;
  for (std::string_view a : args) {
    if (a.starts_with('-')) continue;
    const bool hit = row.needle.ends_with('-') ? a.starts_with(row.needle) : a == row.needle;
    if (hit) return true;
    if (++subcommands == 2) break;
  }
  return false;
}

// The words of one simple command, quoted text blanked so that "a | b"
// inside quotes splits nothing.
std::vector<std::vector<std::string_view>> simple_commands(const std::string& text) {
  std::vector<std::vector<std::string_view>> commands(1);
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == ' ' || c == '\t') {
      ++at;
    } else if (c == '|' || c == ';' || c == '&' || c == '(' || c == ')' || c == '`') {
      if (!commands.back().empty()) commands.emplace_back();
      ++at;
    } else {
      const auto end = std::min(text.find_first_of(" \t|;&()`", at), text.size());
      commands.back().push_back(std::string_view(text).substr(at, end - at));
      at = end;
    }
  }
  return commands;
}

// A backslash outside single quotes escapes the next character: in
// ''\''; rm x' the "\'" is a quote mark, not an opening quote.
std::string blank_quotes(std::string_view command) {
  std::string out(command);
  char open = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (c == '\\' && open != '\'' && i + 1 < out.size()) {
      c = 'x';
      out[++i] = 'x';
    } else if (open == 0 && (c == '\'' || c == '"')) {
      open = c;
    } else if (c == open) {
      open = 0;
    } else if (open != 0) {
      c = 'x';
    }
  }
  return out;
}

// "> file" and ">> file" write; "2>/dev/null" and ">&2" do not.
bool writes_a_file(std::string_view words) {
  for (auto at = words.find('>'); at != std::string_view::npos; at = words.find('>', at + 1)) {
    auto rest = words.substr(at + 1);
    while (!rest.empty() && (rest.front() == '>' || rest.front() == ' ')) rest.remove_prefix(1);
    if (rest.starts_with('&') || rest.starts_with("/dev/null") || rest.starts_with('(')) continue;
    return true;
  }
  return false;
}

Effect simple_effect(std::vector<std::string_view> words) {
  while (!words.empty() && (words.front() == "sudo" || words.front().find('=') != std::string_view::npos ||
                            (words.front().starts_with('-') && words.size() > 1))) {
    words.erase(words.begin());
  }
  if (words.empty()) return Effect::unknown;
  std::string_view program = words.front();
  if (const auto slash = program.rfind('/'); slash != std::string_view::npos) program.remove_prefix(slash + 1);
  std::vector<std::string_view> args(words.begin() + 1, words.end());
  if (program == "docker" && !args.empty() && args.front() == "compose") {  // reads as docker-compose
    program = "docker-compose";
    args.erase(args.begin());
  }
  // "git --version", "docker version": asking a program what it is.
  if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V" || args[0] == "version" || args[0] == "--help")) {
    return Effect::read;
  }
  for (const EffectRow& row : k_effects) {
    if (row.program == program && matches(row, args)) return row.effect;
  }
  return Effect::unknown;
}

// The words a request leads with. Read: asking to see. Write: asking for
// a change. The first one found decides.
constexpr std::string_view k_read_leads[] = {
    "show",  "list",   "lsit", "display", "print",   "what",  "what's", "whats", "which",  "who",  "where",  "when",
    "whose", "is",     "are",  "does",    "did",     "count", "view",   "see",   "tell",   "find", "search", "grep",
    "look",  "locate", "read", "compare", "inspect", "whats", "check",  "watch", "follow", "tail"};
constexpr std::string_view k_write_leads[] = {
    "delete",  "remove",   "rm",     "erase",    "wipe",      "kill",    "terminate", "stop",   "start",
    "restart", "reload",   "enable", "disable",  "change",    "set",     "create",    "make",   "add",
    "rename",  "move",     "mv",     "copy",     "cp",        "install", "uninstall", "purge",  "upgrade",
    "update",  "turn",     "switch", "checkout", "merge",     "rebase",  "push",      "commit", "amend",
    "revert",  "reset",    "undo",   "discard",  "drop",      "prune",   "truncate",  "mount",  "unmount",
    "umount",  "grant",    "revoke", "lock",     "unlock",    "rid",     "modify",    "edit",   "chmod",
    "chown",   "gzip",     "zip",    "compress", "archive",   "extract", "unpack",    "unzip",  "untar",
    "backup",  "download", "upload", "mask",     "unmask",    "suspend", "pause",     "resume", "nuke",
    "allow",   "deny",     "block",  "apply",    "stash",     "fetch",   "pull",      "clone",  "tag",
    "squash",  "send",     "save",   "format",   "overwrite", "clear",   "empty"};
// A change named anywhere makes a read lead no read ("find and delete").
constexpr std::string_view k_change_words[] = {
    "delete", "remove",    "rm",      "erase",    "wipe",    "kill",  "terminate", "truncate",  "prune",
    "purge",  "uninstall", "install", "move",     "rename",  "chmod", "chown",     "overwrite", "replace",
    "rid",    "stop",      "restart", "compress", "extract", "unzip", "zip",       "archive",   "gzip",
    "save",   "write",     "append",  "create",   "convert", "fix"};
// "how many", "how much", "how big": a question about a quantity.
constexpr std::string_view k_how_questions[] = {"many", "much", "big", "large", "long", "old", "often", "fast"};

// Words a request may open with before its lead ("could you please ...").
constexpr std::string_view k_openers[] = {
    "please", "pls",  "plz",   "could", "can",   "would",   "will", "you",   "u",    "kindly", "hey",  "hi",
    "i",      "i'd",  "i'm",   "want",  "wanna", "to",      "need", "like",  "just", "help",   "me",   "let's",
    "lets",   "go",   "ahead", "and",   "now",   "quickly", "so",   "ok",    "okay", "also",   "then", "we",
    "should", "must", "try",   "do",    "how",   "the",     "a",    "quick", "us",   "one",    "gotta"};

// The first word past the openers decides; "how many" asks to read.
Effect lead_of(const std::vector<Word>& words, std::size_t& at) {
  for (at = 0; at < words.size(); ++at) {
    const std::string& w = words[at].lower;
    if (w == "how" && at + 1 < words.size() && listed(k_how_questions, words[at + 1].lower)) return Effect::read;
    if (listed(k_read_leads, w)) return Effect::read;
    if (listed(k_write_leads, w)) return Effect::write;
    if (!listed(k_openers, w)) return Effect::unknown;
  }
  return Effect::unknown;
}

}  // namespace

Effect command_effect(std::string_view command) {
  const std::string plain = blank_quotes(command);
  if (writes_a_file(plain)) return Effect::write;
  Effect all = Effect::read;
  for (const auto& words : simple_commands(plain)) {
    if (words.empty()) continue;
    const Effect one = simple_effect(words);
    if (one == Effect::write) return Effect::write;
    if (one == Effect::unknown) all = Effect::unknown;
  }
  return all;
}

Effect request_intent(const Slots& slots) {
  std::size_t at = 0;
  const Effect lead = lead_of(slots.words, at);
  if (lead != Effect::read) return lead;
  for (std::size_t i = at + 1; i < slots.words.size(); ++i) {
    if (listed(k_change_words, slots.words[i].lower)) return Effect::unknown;
  }
  return Effect::read;
}

bool contradicts(Effect intent, Effect command) {
  return (intent == Effect::read && command == Effect::write) || (intent == Effect::write && command == Effect::read);
}

}  // namespace cmdai::rules
