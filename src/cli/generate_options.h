#pragma once
// How a command line asks the pipeline for a command: the options `cmdai
// REQUEST` and `cmdai eval` share (backend, endpoint, model, fallback,
// target shell, userland, working directory) and the backend factory
// --no-stream asks for.

#include <vector>

#include "cli/invocation.h"
#include "config/configuration.h"
#include "pipeline/command_pipeline.h"
#include "routing/instance.h"

namespace cmdai::cli {

// --shell, else the basename of $SHELL when cmdai knows it, else bash.
// Errors: invalid_argument for an unknown --shell.
Result<ShellType> target_shell(const Invocation& inv);

// Errors: as target_shell.
Result<pipeline::PipelineOptions> pipeline_options(const Invocation& inv);

// --no-stream: server backends are asked for one whole answer (stream:
// false) instead of a token stream; the in-process model streams internally
// either way.
routing::BackendFactory backend_factory(const Invocation& inv);

// The command line's configuration layer without --backend, which the
// pipeline resolves itself (with "did you mean").
std::vector<config::Override> generation_overrides(const Invocation& inv);

}  // namespace cmdai::cli
