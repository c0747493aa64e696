#pragma once
// Maps configuration and command-line options to routing instances (routing
// itself never reads configuration).
//
//  - backend_configs: one instance per entry; its type is BackendConfig::type,
//    else the entry's name ("ollama") or the name's prefix before '-' or '_'
//    ("vllm-gpu1"); entries whose type cannot be told are skipped with a warning.
//    The model it declares (instance_models: context length, capabilities,
//    family) goes with it.
//  - the first *.gguf in the models directory: instance "llama" (unless
//    configured).
//  - --model FILE.gguf: instance "llama" with that file.
//  - --backend TYPE --endpoint URL [--model NAME]: instance TYPE with that
//    endpoint and model, replacing a configured one of that name (origin
//    command_line); --endpoint alone means an OpenAI-compatible server;
//    --backend INSTANCE --endpoint URL overrides that instance's endpoint.
//    --backend TYPE without --endpoint adds nothing: the instances of that
//    type, else discovery (routing_plan.h), answer it.
//  - configured instances that cannot work as written (a server type with
//    no endpoint, an endpoint that is not http(s)) are left out, each with
//    a warning naming the key to set.

#include <filesystem>
#include <string>
#include <vector>

#include "config/configuration.h"
#include "routing/instance.h"

namespace cmdai::pipeline {

struct PipelineOptions;

std::vector<routing::BackendInstance> backend_instances(const config::ConfigurationState& config,
                                                        const PipelineOptions& options,
                                                        const std::filesystem::path& models_dir,
                                                        std::vector<std::string>& warnings);

}  // namespace cmdai::pipeline
