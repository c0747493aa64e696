#include "semantic/embedder_factory.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include "core/utf8.h"
#include "semantic/agent_embedder.h"
#include "semantic/agent_socket.h"
#include "semantic/embed_agent.h"
#include "semantic/lazy_embedder.h"
#include "semantic/llama/llama_embedder.h"
#include "semantic/ngram_embedder.h"

namespace cmdai::semantic {
namespace {

constexpr auto k_name_hints = std::to_array<std::string_view>({"embed", "bge", "minilm", "e5", "gte", "nomic"});

std::optional<std::filesystem::path> installed_embedding_model(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(models_dir, ec)) return std::nullopt;
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(models_dir, ec)) {
    if (entry.path().extension() != ".gguf") continue;
    const std::string name = ascii_lower(entry.path().filename().string());
    const bool hinted = std::any_of(k_name_hints.begin(), k_name_hints.end(),
                                    [&](std::string_view hint) { return name.find(hint) != std::string::npos; });
    if (hinted) found.push_back(entry.path());
  }
  if (found.empty()) return std::nullopt;
  std::sort(found.begin(), found.end());
  return found.front();
}

std::filesystem::path absolute_model(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::absolute(path, ec).lexically_normal();
}

// The model loads when a text is first embedded (LazyEmbedder): a search
// whose query vector is cached never loads it. A file whose header does not
// say what the model is loads at once, so its error is reported here.
// With an agent allowed, the lazy embedder stands behind an AgentEmbedder:
// it loads only when the agent cannot answer.
Result<EmbedderChoice> load_gguf(const Env& env, const Paths& paths, const AgentUse& agent,
                                 const std::filesystem::path& path, std::string source) {
  LlamaEmbedderOptions options;
  options.model_path = path;
  if (auto identity = read_llama_embedder_identity(path)) {
    std::unique_ptr<Embedder> lazy = std::make_unique<LazyEmbedder>(identity->model_id, identity->dimensions,
                                                                    [options] { return make_llama_embedder(options); });
    if (agent.idle.count() > 0) {
      const std::filesystem::path model = absolute_model(path);
      if (auto socket = agent_socket_path(env, paths.history_db.parent_path(), model)) {
        lazy = std::make_unique<AgentEmbedder>(AgentClientOptions{*socket, model, agent.program, agent.idle},
                                               std::move(lazy));
      }
    }
    return EmbedderChoice{std::move(lazy), std::move(source), {}};
  }
  auto embedder = make_llama_embedder(options);
  if (!embedder) return fail(embedder.error());
  return EmbedderChoice{std::move(*embedder), std::move(source), {}};
}

EmbedderChoice first_answering(std::span<const EmbeddingServer> servers) {
  EmbedderChoice choice;
  for (const auto& server : servers) {
    auto opened = ServerEmbedder::open(server);
    if (opened) {
      choice.source = server.model + " on " + server.endpoint;
      choice.embedder = std::move(*opened);
      return choice;
    }
    choice.problems.push_back(server.model + " on " + server.endpoint + ": " + opened.error().describe());
  }
  return choice;
}

}  // namespace

Result<EmbedderChoice> open_embedder(const Env& env, const Paths& paths, std::span<const EmbeddingServer> servers,
                                     const AgentUse& agent) {
  if (auto configured = env.get_var(k_embedding_model_var); configured && !configured->empty()) {
    if (*configured == "none") return EmbedderChoice{};
    if (*configured == "builtin:ngram-test") {
      return EmbedderChoice{std::make_unique<NgramEmbedder>(), "builtin:ngram-test (spelling only, not meaning)", {}};
    }
    return load_gguf(env, paths, agent, *configured, std::string(k_embedding_model_var));
  }
  if (auto installed = installed_embedding_model(paths.models_dir))
    return load_gguf(env, paths, agent, *installed, installed->string());
  return first_answering(servers);
}

AgentUse agent_use(std::chrono::seconds idle) {
  AgentUse use;
  use.idle = idle;
  std::error_code ec;
  use.program = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) use.program.clear();
  return use;
}

std::optional<std::filesystem::path> local_embedding_model(const Env& env, const Paths& paths) {
  if (auto configured = env.get_var(k_embedding_model_var); configured && !configured->empty()) {
    if (*configured == "none" || configured->starts_with("builtin:")) return std::nullopt;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*configured, ec)) return std::nullopt;
    return absolute_model(*configured);
  }
  if (auto installed = installed_embedding_model(paths.models_dir)) return absolute_model(*installed);
  return std::nullopt;
}

Result<AgentStart> start_agent_ahead(const Env& env, const Paths& paths, const AgentUse& agent) {
  if (agent.idle.count() <= 0 || agent.program.empty()) return AgentStart::not_configured;
  const auto model = local_embedding_model(env, paths);
  if (!model) return AgentStart::not_configured;
  auto socket = agent_socket_path(env, paths.history_db.parent_path(), *model);
  if (!socket) return fail(socket.error());
  if (agent_alive(*socket)) {
    (void)touch_agent(*socket);  // a failure only shortens its life to the idle time
    return AgentStart::running;
  }
  CMDAI_TRY(start_embed_agent({agent.program, *socket, *model, agent.idle}));
  return AgentStart::started;
}

}  // namespace cmdai::semantic
