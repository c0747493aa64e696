#pragma once
// The chat prompt sent to models: a system prompt for the target shell and
// userland (GNU coreutils vs BSD/macOS), the working directory, a few
// examples in that shell's idiom, then the request. The corrective message
// asks for a second answer when the first could not be parsed.

#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "llm/backend.h"

namespace cmdai::generation {

std::string system_prompt(ShellType shell, llm::Userland userland, std::string_view working_directory);

std::vector<llm::Message> build_messages(std::string_view request, ShellType shell, llm::Userland userland,
                                         std::string_view working_directory);

// The follow-up user message after an unusable answer, naming the reason.
std::string corrective_message(std::string_view reason);

}  // namespace cmdai::generation
