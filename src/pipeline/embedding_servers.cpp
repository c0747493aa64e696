#include "pipeline/embedding_servers.h"

#include <algorithm>

#include "pipeline/backend_instances.h"
#include "pipeline/command_pipeline.h"
#include "pipeline/routing_plan.h"
#include "routing/discovery.h"
#include "routing/metrics_store.h"
#include "routing/model_choice.h"

namespace cmdai::pipeline {

std::vector<semantic::EmbeddingServer> embedding_servers(const config::ConfigurationState& config, const Env& env,
                                                         const routing::PerformanceMonitor& monitor,
                                                         const std::filesystem::path& models_dir) {
  std::vector<std::string> ignored;  // the request itself reports these
  auto candidates = backend_instances(config, PipelineOptions{}, models_dir, ignored);
  if (config.discover_servers) {
    for (const auto& target : routing::discovery_targets(discovery_settings(env, ignored), ignored))
      candidates.push_back(routing::target_instance(target));
  }
  std::vector<semantic::EmbeddingServer> out;
  for (const auto& candidate : candidates) {
    auto listing = routing::server_listing(candidate, monitor);
    if (!listing || !listing->healthy) continue;
    auto choice = routing::choose_embedding_model(listing->models, listing->embedding_models);
    if (!choice) continue;
    semantic::EmbeddingServer server{candidate.type, candidate.endpoint, choice->model};
    if (std::find(out.begin(), out.end(), server) == out.end()) out.push_back(std::move(server));
  }
  return out;
}

std::vector<semantic::EmbeddingServer> embedding_servers(const config::ConfigurationState& config, const Env& env,
                                                         const Paths& paths) {
  if (!env.file_exists(paths.history_db)) return {};
  auto store = routing::MetricsStore::open(paths.history_db);
  if (!store) return {};
  routing::PerformanceMonitor monitor;
  if (!store->load_into(monitor)) return {};
  return embedding_servers(config, env, monitor, paths.models_dir);
}

}  // namespace cmdai::pipeline
