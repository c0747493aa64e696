// cmdai embed-agent SOCKET MODEL IDLE_SECONDS (internal): the embedding
// agent a search starts (semantic/embed_agent.h); users do not run it.

#include <charconv>
#include <filesystem>

#include "cli/invocation.h"
#include "semantic/embed_agent.h"
#include "semantic/llama/llama_embedder.h"

namespace cmdai::cli {

ExitCode run_embed_agent(Invocation& inv) {
  long long idle = 0;
  const bool well_formed =
      inv.words.size() == 3 && std::filesystem::path(inv.words[0]).is_absolute() &&
      std::filesystem::path(inv.words[1]).is_absolute() &&
      std::from_chars(inv.words[2].data(), inv.words[2].data() + inv.words[2].size(), idle).ec == std::errc{} &&
      idle > 0 && idle <= 86'400;
  if (!well_formed) {
    return report_error(
        inv, Error{ErrorCode::invalid_argument, "embed-agent is started by cmdai search (SOCKET MODEL IDLE_SECONDS)",
                   "users do not run it by hand; set search.embed_agent_idle instead"});
  }
  const semantic::EmbedAgentOptions options{inv.words[0], inv.words[1], std::chrono::seconds(idle)};
  semantic::LlamaEmbedderOptions model;
  model.model_path = options.model_path;
  auto exit = semantic::run_embed_agent(options, [&model] { return semantic::make_llama_embedder(model); });
  if (!exit) return report_error(inv, exit.error());
  return ExitCode::ok;
}

}  // namespace cmdai::cli
