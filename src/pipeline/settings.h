#pragma once
// What the configuration means to the modules the pipeline drives: the
// history store's options, the validator (custom patterns) and the context
// a command is rated in (safety level, root, SSH, git branch, kube
// context). Every caller that rates or records a command - the generation
// pipeline, `check`, `run`, `history replay`, the shell hooks - builds them
// here, so a setting means the same everywhere.

#include <string>

#include "config/configuration.h"
#include "core/entities.h"
#include "core/env.h"
#include "core/error.h"
#include "history/history_store.h"
#include "safety/validator.h"

namespace cmdai::pipeline {

history::HistoryOptions history_options(const config::ConfigurationState& config, const Env& env);

// Errors: invalid_argument when a custom safety pattern does not compile.
Result<safety::Validator> make_validator(const config::ConfigurationState& config);

// The context for rating a command meant for working_directory and shell.
// What a path is on disk and whether a program is on PATH are asked of env
// when the validator needs them, so env must outlive the context.
safety::ValidationContext validation_context(const config::ConfigurationState& config, const Env& env,
                                             const std::string& working_directory, ShellType shell);

}  // namespace cmdai::pipeline
