#pragma once
// Backend: the one interface every model source implements (in-process
// llama.cpp, Ollama, OpenAI-compatible servers, the offline rules). A
// backend turns a chat request into raw model text; parsing that text into a
// command is generation's job. Backends never print and never read stdin.
//
// Thread safety: a Backend serves one request at a time; complete() may be
// called from a worker thread and honours the stop token between tokens (or
// in its transport's progress callback).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::llm {

using cmdai::Userland;

struct Message {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct CompletionRequest {
  std::vector<Message> messages;      // system prompt, examples, the request
  std::string user_request;           // the request as the user typed it
  ShellType shell = ShellType::bash;  // target shell of the command
  Userland userland = Userland::gnu;
  std::string working_directory;
  std::string json_schema;  // output schema for constrained decoding; may be empty
  int max_tokens = 256;
  std::chrono::milliseconds timeout{60'000};  // the whole request; past it: timeout
  // Optional: slow preparation steps (loading a model) as a fraction 0..1
  // and a short message. Called on the thread that runs complete().
  std::function<void(double fraction, std::string_view message)> on_progress;
};

struct Completion {
  std::string text;  // raw model output; for well-behaved backends a JSON object
  std::size_t tokens_generated = 0;
  Micros time_to_first_token{0};
  std::optional<double> confidence;  // when the backend knows it (rules do)
};

struct HealthStatus {
  bool healthy = false;
  std::string detail;  // "ok", "model file missing", "connection refused" ...
  Micros latency{0};
  std::vector<std::string> models;  // what the server lists, in its order
  // Of models, those the server marks as embedding-only (Ollama: BERT families).
  std::vector<std::string> embedding_models{};
};

// Receives each piece of text as the model produces it.
using TokenSink = std::function<void(std::string_view piece)>;

class Backend {
 public:
  virtual ~Backend() = default;

  virtual BackendType type() const = 0;
  // Instance name shown to users and stored as backend_used ("rules",
  // "llama", "ollama", or a configured instance name).
  virtual std::string name() const = 0;
  // True when no data leaves the machine.
  virtual bool is_local() const = 0;

  // Errors: unavailable (cannot answer at all: server down, no model, no
  // offline rule), timeout, cancelled (stop requested), model_output_invalid.
  virtual Result<Completion> complete(const CompletionRequest& request, const TokenSink& on_token,
                                      std::stop_token stop) = 0;
  virtual Result<HealthStatus> check_health(std::stop_token stop) = 0;
};

}  // namespace cmdai::llm
