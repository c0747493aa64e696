#pragma once
// StreamingGenerator: runs one generation on a worker thread and reports the
// seed's StreamEvents through a callback as the answer forms.
//
// Events are delivered on the worker thread, in order, ending with exactly
// one of Completed, Error or Cancelled. generate() returns after that last
// event; the worker is always joined.
//
// Progress messages: "loading model" (llama, first request), "waiting for
// first token", "generating", "retrying". PartialResult carries the command
// field decoded as far as it has formed, emitted only when it changes.
// An answer that cannot be parsed (after the repair path) gets one retry
// with a corrective message; a second failure ends in model_output_invalid.

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <variant>

#include "core/entities.h"
#include "core/error.h"
#include "llm/backend.h"

namespace cmdai::generation {

struct GenerationResult {
  std::string command;
  std::string explanation;
  double confidence = 0;
  Micros generation_time{0};
  std::size_t tokens_generated = 0;
  bool safety_validated = false;  // set by the pipeline after validation
};

struct ProgressEvent {
  double percentage = 0;
  std::string message;
};
struct PartialResultEvent {
  std::string command;  // the command field as it has formed so far
  double confidence = 0;
};
struct CompletedEvent {
  GenerationResult result;
};
struct ErrorEvent {
  std::string error;
  bool recoverable = false;
};
struct CancelledEvent {};

using StreamEvent = std::variant<ProgressEvent, PartialResultEvent, CompletedEvent, ErrorEvent, CancelledEvent>;
using EventSink = std::function<void(const StreamEvent&)>;

struct GenerationRequest {
  std::string request;
  ShellType shell = ShellType::bash;
  llm::Userland userland = llm::Userland::gnu;
  std::string working_directory;
  std::chrono::milliseconds timeout{60'000};  // per backend request; past it: recoverable timeout
  int max_tokens = 512;                       // room for both bounded fields of the answer schema
};

class StreamingGenerator {
 public:
  explicit StreamingGenerator(llm::Backend& backend) : m_backend(backend) {}

  // Errors mirror the final event: cancelled, timeout, unavailable,
  // model_output_invalid.
  Result<GenerationResult> generate(const GenerationRequest& request, const EventSink& on_event, std::stop_token stop);

 private:
  Result<GenerationResult> run(const GenerationRequest& request, const EventSink& emit, std::stop_token stop);
  Result<llm::Completion> complete_once(llm::CompletionRequest& request, const EventSink& emit, std::stop_token stop,
                                        double base_progress);

  llm::Backend& m_backend;
};

// The value of the "command" field in a partial JSON text, decoded as far as
// it goes ("{\"command\": \"find . -na" gives "find . -na").
std::string partial_command(std::string_view partial_json);

}  // namespace cmdai::generation
