// cmdai embed-agent SOCKET MODEL IDLE_SECONDS [STARTER_PID] (internal): the embedding
// agent a search starts (semantic/embed_agent.h); users do not run it.
// cmdai embed-agent start (internal): what the shell integration's prompt
// hook runs in the background when no agent listens: the agent for the
// local model, unless one is alive (then its idle time starts again) or
// none is configured.

#include <filesystem>

#include "cli/invocation.h"
#include "config/configuration.h"
#include "semantic/embed_agent.h"
#include "semantic/embedder_factory.h"
#include "semantic/llama/llama_embedder.h"

namespace cmdai::cli {

ExitCode start_agent_ahead(Invocation& inv) {
  const auto config = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv)).state;
  const auto use = semantic::agent_use(std::chrono::seconds(config.embed_agent_idle_seconds));
  auto started = semantic::start_agent_ahead(inv.env, inv.paths, use);
  if (!started) return report_error(inv, started.error());
  return ExitCode::ok;
}

ExitCode run_embed_agent(Invocation& inv) {
  if (inv.words.size() == 1 && inv.words[0] == "start") return start_agent_ahead(inv);
  const auto idle = inv.words.size() >= 3 ? whole_number<long long>(inv.words[2]) : std::nullopt;
  const auto starter = inv.words.size() == 4 ? whole_number<long long>(inv.words[3]) : std::optional<long long>(0);
  const bool well_formed = (inv.words.size() == 3 || inv.words.size() == 4) &&
                           std::filesystem::path(inv.words[0]).is_absolute() &&
                           std::filesystem::path(inv.words[1]).is_absolute() && idle && *idle > 0 && *idle <= 86'400 &&
                           starter && (inv.words.size() == 3 || *starter > 0);
  if (!well_formed) {
    return report_error(inv, Error{ErrorCode::invalid_argument,
                                   "embed-agent is started by cmdai search (SOCKET MODEL IDLE_SECONDS [STARTER_PID])",
                                   "users do not run it by hand; set search.embed_agent_idle instead"});
  }
  semantic::EmbedAgentOptions options{inv.words[0], inv.words[1], std::chrono::seconds(*idle)};
  options.starter = static_cast<pid_t>(*starter);
  semantic::LlamaEmbedderOptions model;
  model.model_path = options.model_path;
  auto exit = semantic::run_embed_agent(options, [&model] { return semantic::make_llama_embedder(model); });
  if (!exit) return report_error(inv, exit.error());
  return ExitCode::ok;
}

}  // namespace cmdai::cli
