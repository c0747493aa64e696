// cmdai backends list

#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "pipeline/command_pipeline.h"

namespace cmdai::cli {

ExitCode run_backends(Invocation& inv) {
  const std::string action = inv.words.empty() ? "list" : inv.words[0];
  if (action != "list") {
    return report_error(inv, Error{ErrorCode::invalid_argument, "unknown backends command '" + action + "'",
                                   "use: cmdai backends list"});
  }
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file);
  pipeline::CommandPipeline pipeline(inv.env, inv.paths, loaded.state);
  pipeline::PipelineOptions options;
  options.model = inv.args.value("model");
  const auto instances = pipeline.instances(options);
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& i : instances) {
      out.push_back({{"name", i.name},
                     {"type", to_string(i.type)},
                     {"endpoint", i.endpoint},
                     {"model", i.model},
                     {"local", i.local}});
    }
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& i : instances) {
    inv.out << i.name << "  " << to_string(i.type) << "  " << (i.local ? "local" : "remote");
    if (!i.endpoint.empty()) inv.out << "  " << i.endpoint;
    if (!i.model.empty()) inv.out << "  " << i.model;
    inv.out << "\n";
  }
  return ExitCode::ok;
}

}  // namespace cmdai::cli
