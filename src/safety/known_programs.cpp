#include "safety/known_programs.h"

#include <algorithm>
#include <span>
#include <string>
#include <unordered_set>

#include "safety/call.h"

namespace cmdai::safety {
namespace {

// Builtins and keywords of sh, bash, zsh and fish: never looked up on PATH.
constexpr std::string_view k_builtins[] = {
    ".",       ":",      "[",      "[[",      "alias",   "bg",       "bind",     "break",     "builtin",
    "caller",  "case",   "cd",     "command", "compgen", "complete", "continue", "declare",   "dirs",
    "disown",  "do",     "done",   "echo",    "elif",    "else",     "enable",   "esac",      "eval",
    "exec",    "exit",   "export", "false",   "fc",      "fg",       "fi",       "for",       "function",
    "getopts", "hash",   "help",   "history", "if",      "in",       "jobs",     "kill",      "let",
    "local",   "logout", "popd",   "printf",  "pushd",   "pwd",      "read",     "readarray", "readonly",
    "return",  "select", "set",    "shift",   "shopt",   "source",   "suspend",  "test",      "then",
    "time",    "times",  "trap",   "true",    "type",    "typeset",  "ulimit",   "umask",     "unalias",
    "unset",   "until",  "wait",   "while",   "mapfile", "autoload", "bindkey",  "setopt",    "unsetopt",
    "whence",  "where",  "rehash", "abbr",    "funced",  "funcsave", "contains", "string",    "math",
    "and",     "or",     "not",    "begin",   "end",     "switch",   "emit",     "status",    "functions",
    "noglob",
};

// Everyday programs whose arguments cannot make them destroy anything (they
// read, print, search, compare or build), or whose risk other rules catch
// (a redirect, a pipe into a shell). Programs with analyzers are known
// through the analyzer table whether listed here or not.
constexpr std::string_view k_everyday[] = {
    "ls",         "cat",       "head",      "tail",        "less",      "more",     "grep",       "egrep",
    "fgrep",      "rg",        "ag",        "ack",         "wc",        "sort",     "uniq",       "cut",
    "paste",      "join",      "tr",        "fold",        "fmt",       "column",   "nl",         "tac",
    "rev",        "comm",      "diff",      "cmp",         "sdiff",     "diff3",    "colordiff",  "patch",
    "awk",        "gawk",      "mawk",      "nawk",        "sed",       "gsed",     "jq",         "yq",
    "xq",         "xmllint",   "file",      "stat",        "du",        "df",       "tree",       "find",
    "fd",         "fdfind",    "locate",    "mlocate",     "plocate",   "basename", "dirname",    "realpath",
    "readlink",   "pwd",       "date",      "cal",         "uptime",    "whoami",   "who",        "w",
    "id",         "groups",    "hostname",  "hostnamectl", "uname",     "arch",     "nproc",      "lscpu",
    "lsblk",      "blkid",     "lsusb",     "lspci",       "lsmod",     "lsof",     "free",       "vmstat",
    "iostat",     "mpstat",    "sar",       "top",         "htop",      "btop",     "atop",       "ps",
    "pgrep",      "pstree",    "pidof",     "watch",       "env",       "printenv", "echo",       "printf",
    "seq",        "yes",       "sleep",     "expr",        "bc",        "dc",       "factor",     "numfmt",
    "md5sum",     "sha1sum",   "sha256sum", "sha512sum",   "b2sum",     "cksum",    "sum",        "base64",
    "base32",     "xxd",       "od",        "hexdump",     "strings",   "iconv",    "tee",        "touch",
    "mkdir",      "mktemp",    "ln",        "cp",          "mv",        "install",  "split",      "csplit",
    "expand",     "unexpand",  "shuf",      "tsort",       "ping",      "ping6",    "traceroute", "tracepath",
    "mtr",        "dig",       "nslookup",  "host",        "whois",     "curl",     "wget",       "ss",
    "netstat",    "ip",        "ifconfig",  "route",       "arp",       "nmap",     "nc",         "ncat",
    "netcat",     "socat",     "telnet",    "ssh",         "scp",       "sftp",     "rsync",      "man",
    "info",       "tldr",      "whatis",    "apropos",     "which",     "whereis",  "journalctl", "dmesg",
    "last",       "lastlog",   "getent",    "vim",         "vi",        "nvim",     "nano",       "emacs",
    "code",       "ed",        "ex",        "view",        "git",       "gh",       "hg",         "svn",
    "make",       "gmake",     "cmake",     "ninja",       "meson",     "gcc",      "g++",        "cc",
    "c++",        "clang",     "clang++",   "ld",          "as",        "go",       "rustc",      "cargo",
    "javac",      "java",      "mvn",       "gradle",      "node",      "npm",      "npx",        "yarn",
    "pnpm",       "deno",      "bun",       "python",      "python3",   "pip",      "pip3",       "ruby",
    "gem",        "bundle",    "perl",      "php",         "lua",       "tar",      "gzip",       "gunzip",
    "zcat",       "bzip2",     "bunzip2",   "bzcat",       "xz",        "unxz",     "xzcat",      "zstd",
    "unzstd",     "zip",       "unzip",     "7z",          "7za",       "docker",   "podman",     "kubectl",
    "helm",       "terraform", "ansible",   "systemctl",   "service",   "crontab",  "at",         "tmux",
    "screen",     "clear",     "reset",     "tput",        "stty",      "sudo",     "doas",       "su",
    "nohup",      "nice",      "timeout",   "xargs",       "parallel",  "fzf",      "bat",        "batcat",
    "exa",        "eza",       "zoxide",    "pv",          "time",      "ssh-add",  "ssh-agent",  "gpg",
    "openssl",    "sqlite3",   "psql",      "mysql",       "redis-cli", "mongosh",  "convert",    "ffmpeg",
    "ffprobe",    "identify",  "pandoc",    "pdftotext",   "wl-copy",   "xclip",    "xsel",       "notify-send",
    "xdg-open",   "open",      "say",       "pbcopy",      "pbpaste",   "cmdai",    "test",       "true",
    "false",      "logger",    "mkfifo",    "ldd",         "gdb",       "lldb",     "pytest",     "tox",
    "getenforce", "sestatus",  "aa-status", "getcap",      "stdbuf",    "setsid",   "ionice",     "flock",
    "tty",        "locale",
};

// Entry points a project keeps at its top level by convention, run as
// "./configure": autoconf's configure checks the system and writes
// Makefiles; the Gradle and Maven wrappers run the build the way the build
// tool does. Any other script written as a path is one cmdai cannot see into.
constexpr std::string_view k_project_scripts[] = {"configure", "gradlew", "mvnw"};

bool listed_in(std::span<const std::string_view> table, std::string_view program) {
  return std::find(table.begin(), table.end(), program) != table.end();
}

}  // namespace

bool is_listed_program(std::string_view program) {
  // Built once: every command of every line is looked up here.
  static const std::unordered_set<std::string_view> listed = [] {
    std::unordered_set<std::string_view> out(std::begin(k_builtins), std::end(k_builtins));
    out.insert(std::begin(k_everyday), std::end(k_everyday));
    return out;
  }();
  return listed.contains(program);
}

bool is_known_program(std::string_view program, bool written_as_path, const ValidationContext& context) {
  if (program.empty() || is_listed_program(program) || find_analyzer(program) != nullptr || is_shell_program(program)) {
    return true;
  }
  if (written_as_path) return listed_in(k_project_scripts, program);
  return context.on_path != nullptr && context.on_path(std::string(program));
}

}  // namespace cmdai::safety
