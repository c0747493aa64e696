#pragma once
// AgentEmbedder: an Embedder that asks the embedding agent (embed_agent.h)
// first and embeds in-process when the agent cannot answer.
//
// The rules:
//   - prefetch() asks the agent whether it holds this model (a request
//     without texts: one round trip). When it does not answer, the
//     in-process embedder's prefetch starts loading the model at once.
//   - embed() sends the texts to the agent; any failure (nothing listening,
//     a stale socket, another model, a timeout, a connection closed
//     mid-reply, a malformed reply) turns to the in-process embedder for
//     this and every later call: the vectors are the same either way.
//   - when nothing listened at the socket, a program is configured and the
//     in-process embed succeeded, the agent is started (detached) when this
//     embedder is destroyed: after the search's results are out. The agent
//     loads the model only once this process has exited (agent_load), so its
//     load never competes for a core with the search that started it; the
//     next search finds it. Destroy it when the process is about to exit
//     (the agent waits at most 10 s for that). An
//     agent that answered "wrong model" or timed out is left alone.
//   - once the agent has answered, prefetch() does not ask it again.
// Texts that are not embeddable are refused before either is asked.
//
// One thread at a time, like every Embedder.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "semantic/embed_agent.h"
#include "semantic/embedder.h"

namespace cmdai::semantic {

struct AgentClientOptions {
  std::filesystem::path socket;             // agent_socket_path()
  std::filesystem::path model_path;         // absolute; the agent must hold this model
  std::filesystem::path program;            // the cmdai binary that starts an agent; empty: never start one
  std::chrono::seconds idle{300};           // the started agent's idle time
  std::chrono::milliseconds timeout{2000};  // per request: connect, send, reply
  // When the started agent loads the model: after this process has exited
  // (the owner destroys this embedder when it is about to exit), or at once.
  AgentLaunch::Load agent_load = AgentLaunch::Load::after_caller_exits;
};

class AgentEmbedder final : public Embedder {
 public:
  // in_process: the same model in this process (a LazyEmbedder, so it loads
  // only if the agent fails); its model_id and dimensions are this one's.
  AgentEmbedder(AgentClientOptions options, std::unique_ptr<Embedder> in_process);
  // Starts the agent when starts_agent(); a failure to start one costs the
  // next search a model load, no more.
  ~AgentEmbedder() override;
  AgentEmbedder(const AgentEmbedder&) = delete;
  AgentEmbedder& operator=(const AgentEmbedder&) = delete;

  std::string model_id() const override { return m_in_process->model_id(); }
  std::size_t dimensions() const override { return m_in_process->dimensions(); }
  Result<std::vector<Vector>> embed(std::span<const std::string> texts) override;
  void prefetch() override;

  // Why the agent was not used (nullopt while it answers or before it was asked).
  const std::optional<Error>& agent_error() const { return m_agent_error; }
  // Whether this embedder starts an agent when it is destroyed.
  bool starts_agent() const { return m_start_agent; }

 private:
  Result<std::vector<Vector>> ask_agent(std::span<const std::string> texts);
  Result<std::vector<Vector>> ask_once(std::span<const std::string> texts);
  void give_up_on_agent(Error error);

  AgentClientOptions m_options;
  std::unique_ptr<Embedder> m_in_process;
  std::optional<Error> m_agent_error;
  bool m_nothing_listens = false;  // the last failure was a missing or stale socket
  bool m_agent_answered = false;
  bool m_start_agent = false;
};

}  // namespace cmdai::semantic
