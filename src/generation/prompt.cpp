#include "generation/prompt.h"

namespace cmdai::generation {

std::vector<llm::Message> build_messages(std::string_view request, ShellType shell, llm::Userland userland,
                                         std::string_view working_directory) {
  std::string system =
      "You translate a request into one " + std::string(to_string(shell)) + " command for " +
      (userland == llm::Userland::gnu ? std::string("Linux with GNU coreutils") : std::string("macOS/BSD userland")) +
      ". The working directory is " + std::string(working_directory) +
      ". Answer with a JSON object {\"command\": \"...\", \"explanation\": \"...\"} and nothing else. "
      "The command is a single line. Prefer safe, read-only commands; never add sudo unless asked.";
  return {
      {"system", std::move(system)},
      {"user", "list files in the current directory sorted by size"},
      {"assistant", R"({"command": "ls -lS", "explanation": "Lists files, largest first."})"},
      {"user", std::string(request)},
  };
}

}  // namespace cmdai::generation
