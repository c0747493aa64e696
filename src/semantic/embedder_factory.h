#pragma once
// Which embedder cmdai uses, if any:
//   1. CMDAI_EMBEDDING_MODEL=PATH.gguf        that model (llama.cpp)
//      CMDAI_EMBEDDING_MODEL=builtin:ngram-test  the n-gram pipeline embedder
//      (spelling only, not meaning; for tests and demonstrations)
//      CMDAI_EMBEDDING_MODEL=none               no embedder
//   2. otherwise the first GGUF in the models directory whose name says it
//      is an embedding model (embed, bge, minilm, e5, gte, nomic).
//   3. otherwise the first of `servers` (model servers known to be up that
//      list an embedding model, in the caller's order) that answers an
//      embedding request in time (ServerEmbedder); one that does not is
//      passed over and named in EmbedderChoice::problems.
// No embedder is not an error: search then uses words and the lexicon.
//
// A GGUF model (1 or 2) is asked of the embedding agent first when `agent`
// allows one (agent_embedder.h): a search then does not load the model.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/env.h"
#include "core/error.h"
#include "core/paths.h"
#include "semantic/embedder.h"
#include "semantic/server_embedder.h"

namespace cmdai::semantic {

inline constexpr std::string_view k_embedding_model_var = "CMDAI_EMBEDDING_MODEL";

struct EmbedderChoice {
  std::unique_ptr<Embedder> embedder;  // null: none configured or found
  std::string source;                  // where it came from, for messages
  std::vector<std::string> problems;   // servers passed over, and why
};

// Whether a local model is asked of the embedding agent (search.embed_agent_idle).
struct AgentUse {
  std::chrono::seconds idle{0};   // the agent's idle time; 0: no agent, the model loads in this process
  std::filesystem::path program;  // the cmdai binary that starts one; empty: use a running agent, start none
};

// This cmdai (/proc/self/exe) as the program that starts agents, with
// their idle time (search.embed_agent_idle); no program when it cannot be read.
AgentUse agent_use(std::chrono::seconds idle);

// Errors: the configured model exists but cannot be loaded.
Result<EmbedderChoice> open_embedder(const Env& env, const Paths& paths, std::span<const EmbeddingServer> servers = {},
                                     const AgentUse& agent = {});

// The GGUF file open_embedder would load (1 or 2 above), absolute; nullopt
// when none is configured or installed, or the configured one is no file.
std::optional<std::filesystem::path> local_embedding_model(const Env& env, const Paths& paths);

enum class AgentStart {
  started,         // an agent was started; it loads the model at once
  running,         // an agent for this history and model is alive (loading or listening); touched
  not_configured,  // no local model file, an idle time of 0, or no program
};

// Starts the embedding agent for the local model before any search asks
// for it, or, when one is alive, starts its idle time again (touch_agent),
// so the first search finds the model loaded. `cmdai embed-agent start`
// runs this (the shell integration's prompt hook, when no agent listens). Takes no
// lock: the agent's own lock decides between agents started at the same
// moment. Errors: those of agent_socket_path and start_embed_agent.
Result<AgentStart> start_agent_ahead(const Env& env, const Paths& paths, const AgentUse& agent);

}  // namespace cmdai::semantic
