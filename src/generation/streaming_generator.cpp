#include "generation/streaming_generator.h"

#include <algorithm>
#include <exception>
#include <thread>

#include "generation/output_parser.h"
#include "generation/prompt.h"

namespace cmdai::generation {
namespace {

using Clock = std::chrono::steady_clock;

// How sure we are of a command, by how cleanly the model produced it.
double route_confidence(ParseRoute route, bool retried) {
  double c = route == ParseRoute::strict_json ? 0.85 : route == ParseRoute::repaired_json ? 0.7 : 0.55;
  return retried ? c - 0.1 : c;
}

}  // namespace

std::string partial_command(std::string_view text) {
  const auto key = text.find("\"command\"");
  if (key == std::string_view::npos) return {};
  auto pos = text.find(':', key + 9);
  if (pos == std::string_view::npos) return {};
  pos = text.find('"', pos + 1);
  if (pos == std::string_view::npos) return {};
  std::string out;
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') break;
    if (c == '\\') {
      if (i + 1 >= text.size()) break;
      const char next = text[++i];
      switch (next) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'u': i += 4; break;  // rare in commands; skipped in the preview
        default: out += next;
      }
      continue;
    }
    out += c;
  }
  return out;
}

Result<llm::Completion> StreamingGenerator::complete_once(llm::CompletionRequest& request, const EventSink& emit,
                                                          std::stop_token stop, double base_progress) {
  request.on_progress = [&emit, base_progress](double fraction, std::string_view message) {
    if (fraction >= 1.0) {
      emit(ProgressEvent{base_progress, "waiting for first token"});
    } else {
      emit(ProgressEvent{std::clamp(fraction, 0.0, 1.0) * base_progress, std::string(message)});
    }
  };
  emit(ProgressEvent{base_progress, "waiting for first token"});
  std::string streamed;
  std::string last_partial;
  bool first = true;
  auto on_token = [&](std::string_view piece) {
    if (first) {
      emit(ProgressEvent{base_progress + 5, "generating"});
      first = false;
    }
    streamed += piece;
    std::string partial = partial_command(streamed);
    if (partial != last_partial) {
      last_partial = partial;
      emit(PartialResultEvent{std::move(partial), 0.5});
    }
  };
  return m_backend.complete(request, on_token, stop);
}

Result<GenerationResult> StreamingGenerator::run(const GenerationRequest& request, const EventSink& emit,
                                                 std::stop_token stop) {
  const auto start = Clock::now();
  llm::CompletionRequest completion_request;
  completion_request.messages =
      build_messages(request.request, request.shell, request.userland, request.working_directory);
  completion_request.user_request = request.request;
  completion_request.shell = request.shell;
  completion_request.userland = request.userland;
  completion_request.working_directory = request.working_directory;
  completion_request.json_schema = std::string(output_json_schema());
  completion_request.timeout = request.timeout;
  completion_request.max_tokens = request.max_tokens;

  std::size_t tokens = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto completion = complete_once(completion_request, emit, stop, attempt == 0 ? 40.0 : 70.0);
    if (!completion) return fail(completion.error());
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "generation cancelled");
    tokens += completion->tokens_generated;
    auto parsed = parse_model_output(completion->text);
    if (parsed) {
      GenerationResult result;
      result.command = std::move(parsed->command);
      result.explanation = std::move(parsed->explanation);
      result.confidence = completion->confidence.value_or(route_confidence(parsed->route, attempt > 0));
      result.tokens_generated = tokens;
      result.generation_time = std::chrono::duration_cast<Micros>(Clock::now() - start);
      return result;
    }
    if (attempt == 1) {
      return fail(ErrorCode::model_output_invalid,
                  "the model gave no usable command, even after a corrective retry: " + parsed.error().message,
                  "try rephrasing the request, or use a larger model or another backend");
    }
    emit(ProgressEvent{65, "retrying: " + parsed.error().message});
    completion_request.messages.push_back({"assistant", completion->text});
    completion_request.messages.push_back({"user", corrective_message(parsed.error().message)});
  }
  return fail(ErrorCode::internal, "generation ended without a result");
}

Result<GenerationResult> StreamingGenerator::generate(const GenerationRequest& request, const EventSink& on_event,
                                                      std::stop_token stop) {
  Result<GenerationResult> outcome = fail(ErrorCode::internal, "generation did not run");
  std::jthread worker([&] {
    auto emit = [&](const StreamEvent& event) {
      if (on_event) on_event(event);
    };
    emit(ProgressEvent{0, "waiting for " + m_backend.name()});
    try {
      outcome = run(request, emit, stop);
    } catch (const std::exception& e) {  // an exception leaving a thread would end the process
      outcome = fail(ErrorCode::internal, std::string("generation failed: ") + e.what());
    }
    if (outcome) {
      emit(CompletedEvent{*outcome});
    } else if (outcome.error().code == ErrorCode::cancelled || stop.stop_requested()) {
      outcome = fail(ErrorCode::cancelled, "generation cancelled");
      emit(CancelledEvent{});
    } else {
      const auto code = outcome.error().code;
      emit(ErrorEvent{outcome.error().describe(), code == ErrorCode::unavailable || code == ErrorCode::timeout});
    }
  });
  worker.join();
  return outcome;
}

}  // namespace cmdai::generation
