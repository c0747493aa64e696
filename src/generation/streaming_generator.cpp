#include "generation/streaming_generator.h"

#include <chrono>
#include <thread>

#include "generation/output_parser.h"
#include "generation/prompt.h"

namespace cmdai::generation {

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

Result<GenerationResult> StreamingGenerator::generate(const GenerationRequest& request, const EventSink& on_event,
                                                      std::stop_token stop) {
  Result<GenerationResult> outcome = fail(ErrorCode::internal, "generation did not run");
  std::jthread worker([&] {
    const auto start = std::chrono::steady_clock::now();
    auto emit = [&](const StreamEvent& event) {
      if (on_event) on_event(event);
    };
    emit(ProgressEvent{0, "waiting for " + m_backend.name()});

    llm::CompletionRequest completion_request;
    completion_request.messages =
        build_messages(request.request, request.shell, request.userland, request.working_directory);
    completion_request.user_request = request.request;
    completion_request.shell = request.shell;
    completion_request.userland = request.userland;
    completion_request.working_directory = request.working_directory;
    completion_request.json_schema = std::string(output_json_schema());

    std::string streamed;
    std::string last_partial;
    auto on_token = [&](std::string_view piece) {
      streamed += piece;
      std::string partial = partial_command(streamed);
      if (partial != last_partial) {
        last_partial = partial;
        emit(PartialResultEvent{partial, 0.5});
      }
    };
    auto completion = m_backend.complete(completion_request, on_token, stop);
    if (!completion) {
      if (completion.error().code == ErrorCode::cancelled || stop.stop_requested()) {
        emit(CancelledEvent{});
        outcome = fail(ErrorCode::cancelled, "generation cancelled");
        return;
      }
      const bool recoverable =
          completion.error().code == ErrorCode::unavailable || completion.error().code == ErrorCode::timeout;
      emit(ErrorEvent{completion.error().describe(), recoverable});
      outcome = fail(completion.error());
      return;
    }
    auto parsed = parse_model_output(completion->text);
    if (!parsed) {
      emit(ErrorEvent{parsed.error().describe(), false});
      outcome = fail(parsed.error());
      return;
    }
    GenerationResult result;
    result.command = std::move(parsed->command);
    result.explanation = std::move(parsed->explanation);
    result.confidence = completion->confidence.value_or(0.7);
    result.tokens_generated = completion->tokens_generated;
    result.generation_time = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
    emit(CompletedEvent{result});
    outcome = std::move(result);
  });
  worker.join();
  return outcome;
}

}  // namespace cmdai::generation
