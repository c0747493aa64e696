#pragma once
// The embedding agent: a per-user process that keeps one embedding model
// loaded and embeds texts for other cmdai processes over a Unix-domain
// socket (agent_socket.h, agent_protocol.h), so a search whose query
// vector is not cached does not load the model itself. Like ssh-agent it
// is started on demand (start_embed_agent, by AgentEmbedder when no agent
// answers) and ends by itself after an idle time.
//
// One agent per socket: it holds an exclusive flock on the lock file
// beside the socket for its whole life (the pid inside), so agents started
// at the same moment leave one running. The holder of the lock replaces a
// stale socket file left by an agent that died. It serves one connection
// at a time; a connection from another user is closed unanswered.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "core/error.h"
#include "semantic/embedder.h"

namespace cmdai::semantic {

struct EmbedAgentOptions {
  std::filesystem::path socket;                     // agent_socket_path()
  std::filesystem::path model_path;                 // absolute: requests must name this model
  std::chrono::seconds idle{300};                   // exits after this long without a request or activity
  std::chrono::milliseconds request_timeout{2000};  // a connection's request must arrive within this
  // The process that started this agent (a search, the picker): the model
  // loads once it has exited, so the load never competes for a core with
  // what the user is waiting for. 0: load at once. Waited for at most
  // starter_wait (a pid reused meanwhile costs no more than that).
  pid_t starter = 0;
  std::chrono::milliseconds starter_wait{10'000};
};

enum class AgentExit {
  idle,             // no request or activity (touch_agent) for options.idle
  already_running,  // another agent holds the socket's lock
  model_changed,    // a request named the same path with another model_id: the file changed
};

using LoadEmbedder = std::function<Result<std::unique_ptr<Embedder>>()>;

// Takes the lock, waits for options.starter to exit, loads the model and
// embeds one text with it (before
// listening: a client never waits for a load or a first embed, it embeds
// in-process meanwhile), listens and answers until
// it exits; removes its socket on the way out. Errors: the lock file or
// socket cannot be made, or the model does not load.
Result<AgentExit> run_embed_agent(const EmbedAgentOptions& options, const LoadEmbedder& load);

// Whether the agent for socket is alive, loading or listening: the pid in
// its lock file names a process that has not exited (a zombie not yet
// reaped counts as gone). Reads the file without locking it (a probe
// holding the lock, even briefly, would make an agent starting at that
// moment step aside). A pid reused by another process reads as alive: the
// next search that finds no agent starts one.
bool agent_alive(const std::filesystem::path& socket);

// Marks activity for the agent at socket: its idle time starts again, as
// after a request. Writes the activity file beside the socket
// (agent_activity_path), as the shell integration's prompt hook does, so
// the model stays loaded while a shell is in use. False when the file
// cannot be written.
bool touch_agent(const std::filesystem::path& socket);

// Starts `program embed-agent SOCKET MODEL IDLE_SECONDS [STARTER_PID]` detached from the
// caller: its own session, stdin/stdout/stderr on /dev/null, no other
// descriptor inherited (a pipe the caller writes to is never held open),
// the default signal mask, and reparented at once (double fork), so the
// caller never has a child to reap. Returns when the intermediate child has
// been reaped; does not wait for the agent to listen. Errors: fork failed.
struct AgentLaunch {
  std::filesystem::path program;  // a cmdai binary
  std::filesystem::path socket;
  std::filesystem::path model_path;
  std::chrono::seconds idle{300};
  // Whether the agent waits for the caller to exit before it loads the
  // model (EmbedAgentOptions::starter): a caller that is about to exit.
  enum class Load { at_once, after_caller_exits } load = Load::at_once;
};
Result<void> start_embed_agent(const AgentLaunch& launch);

}  // namespace cmdai::semantic
