#pragma once
// The chat prompt sent to models: a system prompt for the target shell and
// userland, the working directory, a few examples, then the request.

#include <string>
#include <vector>

#include "core/entities.h"
#include "llm/backend.h"

namespace cmdai::generation {

std::vector<llm::Message> build_messages(std::string_view request, ShellType shell, llm::Userland userland,
                                         std::string_view working_directory);

}  // namespace cmdai::generation
