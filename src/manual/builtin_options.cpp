#include "manual/builtin_options.h"

#include <array>

namespace cmdai::manual {
namespace {

struct BuiltinOption {
  std::string_view program;
  std::string_view flags;  // "-l" or "-r -R --recursive"
  bool takes_value;
  std::string_view description;
};

struct BuiltinProgram {
  std::string_view program;
  std::string_view summary;
};

constexpr std::array<BuiltinProgram, 12> k_programs{{
    {"ls", "list directory contents"},
    {"rm", "remove files or directories"},
    {"cp", "copy files and directories"},
    {"mv", "move (rename) files"},
    {"grep", "print lines that match patterns"},
    {"find", "search for files in a directory hierarchy"},
    {"tar", "an archiving utility"},
    {"chmod", "change file mode bits"},
    {"mkdir", "make directories"},
    {"du", "estimate file space usage"},
    {"df", "report file system space usage"},
    {"git", "the stupid content tracker"},
}};

constexpr std::array<BuiltinOption, 38> k_options{{
    {"ls", "-l", false, "use a long listing format."},
    {"ls", "-a --all", false, "do not ignore entries starting with ."},
    {"ls", "-h --human-readable", false, "with -l, print sizes like 1K 234M 2G."},
    {"ls", "-t", false, "sort by time, newest first."},
    {"ls", "-r --reverse", false, "reverse order while sorting."},
    {"ls", "-S", false, "sort by file size, largest first."},
    {"rm", "-r -R --recursive", false, "remove directories and their contents recursively."},
    {"rm", "-f --force", false, "ignore nonexistent files and arguments, never prompt."},
    {"rm", "-i", false, "prompt before every removal."},
    {"cp", "-r -R --recursive", false, "copy directories recursively."},
    {"cp", "-a --archive", false, "copy recursively, keeping links, modes, owners and times."},
    {"cp", "-f --force", false, "remove a destination that cannot be opened and try again."},
    {"mv", "-f --force", false, "do not prompt before overwriting."},
    {"mv", "-i --interactive", false, "prompt before overwrite."},
    {"mv", "-n --no-clobber", false, "do not overwrite an existing file."},
    {"grep", "-r --recursive", false, "read all files under each directory, recursively."},
    {"grep", "-i --ignore-case", false, "ignore case distinctions in patterns and data."},
    {"grep", "-n --line-number", false, "prefix each line of output with its line number."},
    {"grep", "-v --invert-match", false, "select non-matching lines."},
    {"grep", "-l --files-with-matches", false, "print only the names of files with matches."},
    {"grep", "-E --extended-regexp", false, "interpret patterns as extended regular expressions."},
    {"find", "-name", true, "base of file name matches the shell pattern."},
    {"find", "-iname", true, "like -name, but the match is case insensitive."},
    {"find", "-type", true, "file is of this type (f file, d directory, l link)."},
    {"find", "-size", true, "file uses this much space (+10M: more than 10 MiB)."},
    {"find", "-mtime", true, "file's data was last modified this many days ago."},
    {"find", "-delete", false, "delete the files found."},
    {"find", "-exec", true, "run a command on each file found."},
    {"tar", "-c --create", false, "create a new archive."},
    {"tar", "-x --extract --get", false, "extract files from an archive."},
    {"tar", "-z --gzip", false, "filter the archive through gzip."},
    {"tar", "-f --file", true, "use this archive file."},
    {"tar", "-v --verbose", false, "list the files processed."},
    {"tar", "-C --directory", true, "change to this directory first."},
    {"chmod", "-R --recursive", false, "change files and directories recursively."},
    {"mkdir", "-p --parents", false, "make parent directories as needed; no error if existing."},
    {"du", "-s --summarize", false, "display only a total for each argument."},
    {"df", "-h --human-readable", false, "print sizes in powers of 1024 (e.g., 1023M)."},
}};

}  // namespace

std::optional<PageOptions> builtin_options(std::string_view program) {
  PageOptions page;
  for (const auto& p : k_programs) {
    if (p.program == program) page.summary = p.summary;
  }
  for (const auto& option : k_options) {
    if (option.program != program) continue;
    std::size_t start = 0;
    while (start < option.flags.size()) {
      const std::size_t end = std::min(option.flags.find(' ', start), option.flags.size());
      page.options[std::string(option.flags.substr(start, end - start))] =
          OptionText{std::string(option.description), option.takes_value};
      start = end + 1;
    }
  }
  if (page.summary.empty() && page.options.empty()) return std::nullopt;
  return page;
}

}  // namespace cmdai::manual
