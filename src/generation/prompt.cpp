#include "generation/prompt.h"

#include "core/utf8.h"

namespace cmdai::generation {
namespace {

struct Example {
  std::string_view request;
  std::string_view command;
  std::string_view explanation;
};

// Examples per shell: the idioms differ (PowerShell cmdlets, fish syntax),
// and the userland changes flags (GNU find -printf / du --max-depth vs BSD).
std::vector<Example> examples(ShellType shell, llm::Userland userland) {
  const bool gnu = userland == llm::Userland::gnu;
  switch (shell) {
    case ShellType::powershell:
      return {{"list files sorted by size", "Get-ChildItem | Sort-Object Length -Descending",
               "Lists files, largest first."},
              {"find log files changed today",
               "Get-ChildItem -Recurse -Filter *.log | Where-Object LastWriteTime -ge (Get-Date).Date",
               "Finds .log files modified since midnight."}};
    case ShellType::fish:
      return {{"list files sorted by size", "ls -lS", "Lists files, largest first."},
              {"count lines in every python file", "for f in *.py; wc -l $f; end", "Counts lines per .py file."}};
    default: break;
  }
  return {{"list files sorted by size", "ls -lS", "Lists files, largest first."},
          {"show the size of each directory here", gnu ? "du -h --max-depth=1" : "du -h -d 1",
           "Shows the disk usage of each subdirectory."},
          {"find pdf files larger than 10MB", "find . -name '*.pdf' -size +10M", "Finds PDFs bigger than 10 MB."}};
}

std::string shell_name(ShellType shell) {
  switch (shell) {
    case ShellType::bash: return "bash";
    case ShellType::zsh: return "zsh";
    case ShellType::fish: return "fish";
    case ShellType::sh: return "POSIX sh";
    case ShellType::powershell: return "PowerShell";
  }
  return "bash";
}

}  // namespace

std::string system_prompt(ShellType shell, llm::Userland userland, std::string_view working_directory) {
  const std::string platform = shell == ShellType::powershell ? "PowerShell cmdlets"
                               : userland == llm::Userland::gnu
                                   ? "Linux with GNU coreutils, findutils and grep"
                                   : "macOS/BSD userland (BSD flags: no --long options of GNU tools, sed -i '')";
  return "You translate a request into exactly one " + shell_name(shell) + " command for " + platform +
         ". The working directory is " + printable_utf8(working_directory) +
         ". Answer with one JSON object {\"command\": \"...\", \"explanation\": \"...\"} and nothing else: "
         "no code fences, no prose. The command is a single line; chain steps with pipes or && if needed. "
         "Prefer safe, read-only commands; never add sudo unless asked; quote paths with spaces.";
}

std::vector<llm::Message> build_messages(std::string_view request, ShellType shell, llm::Userland userland,
                                         std::string_view working_directory) {
  std::vector<llm::Message> messages{{"system", system_prompt(shell, userland, working_directory)}};
  for (const auto& e : examples(shell, userland)) {
    messages.push_back({"user", std::string(e.request)});
    std::string answer = "{\"command\": \"";
    for (const char c : e.command) {
      if (c == '"' || c == '\\') answer += '\\';
      answer += c;
    }
    answer += "\", \"explanation\": \"" + std::string(e.explanation) + "\"}";
    messages.push_back({"assistant", std::move(answer)});
  }
  messages.push_back({"user", std::string(request)});
  return messages;
}

std::string corrective_message(std::string_view reason) {
  return "Your answer could not be used: " + std::string(reason) +
         ". Reply again with only the JSON object {\"command\": \"...\", \"explanation\": \"...\"}; "
         "the command must be one non-empty line.";
}

}  // namespace cmdai::generation
