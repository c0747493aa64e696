#pragma once
// Validator: rates a command before anything runs it, by parsing it the way
// the shell will and applying rules to each simple command's arguments.
//
// Thread safety: validate() is const and may be called from several threads.

#include <string>
#include <string_view>

#include "core/entities.h"
#include "safety/validation_result.h"

namespace cmdai::safety {

struct ValidationContext {
  std::string working_directory = "/";
  std::string home_directory = "/root";
  ShellType shell = ShellType::bash;
  bool is_root = false;
};

class Validator {
 public:
  ValidationResult validate(std::string_view command, const ValidationContext& context) const;
};

}  // namespace cmdai::safety
