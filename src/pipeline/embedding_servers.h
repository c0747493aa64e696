#pragma once
// Which model servers can embed history entries when no local embedding
// model is installed: configured instances and (unless backend.discover is
// false) the places discovery looks, whose newest cached health record
// says they are up and lists an embedding model (routing/model_choice.h).
// Nothing is probed: a server down, or never checked, is not offered, so a
// search never waits on a dead one.

#include <filesystem>
#include <vector>

#include "config/configuration.h"
#include "core/env.h"
#include "core/paths.h"
#include "routing/performance_monitor.h"
#include "semantic/server_embedder.h"

namespace cmdai::pipeline {

// In order: configured instances, then discovered places.
std::vector<semantic::EmbeddingServer> embedding_servers(const config::ConfigurationState& config, const Env& env,
                                                         const routing::PerformanceMonitor& monitor,
                                                         const std::filesystem::path& models_dir);

// The same, reading the health cache from the history database first;
// empty when it cannot be read.
std::vector<semantic::EmbeddingServer> embedding_servers(const config::ConfigurationState& config, const Env& env,
                                                         const Paths& paths);

}  // namespace cmdai::pipeline
