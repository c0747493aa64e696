#pragma once
// What every `cmdai backends` subcommand works on: the routing plan for the
// command line's options (configured, command-line and discovered
// instances), the routing figures (backend_metrics) and the store they are
// saved to.

#include <memory>

#include "cli/invocation.h"
#include "pipeline/command_pipeline.h"
#include "routing/metrics_store.h"

namespace cmdai::cli {

struct BackendsContext {
  BackendsContext(pipeline::RoutingPlan p, routing::PerformanceMonitor& m, routing::MetricsStore s)
      : plan(std::move(p)), monitor(m), store(std::move(s)) {}
  pipeline::RoutingPlan plan;
  routing::PerformanceMonitor& monitor;  // the pipeline's
  routing::MetricsStore store;
  const routing::Registry& registry() const { return plan.registry; }
};

// The models a server instance lists: its own newest health record's list,
// else its server's (the record without a model).
std::vector<std::string> listed_models(const routing::BackendInstance& instance,
                                       const routing::PerformanceMonitor& monitor);

// "found SERVER at URL (...); not used: ..." for servers that answered but
// are no instance (they list no model that can chat).
void print_unused_servers(Invocation& inv, const BackendsContext& context);

ExitCode run_backends_discover(Invocation& inv, BackendsContext& context);
ExitCode run_backends_save(Invocation& inv, BackendsContext& context);

}  // namespace cmdai::cli
