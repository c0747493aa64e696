#include "llm/rules_backend.h"

#include <nlohmann/json.hpp>

#include "core/entity_json.h"
#include "rules/decline_hint.h"
#include "rules/templates.h"

namespace cmdai::llm {

Result<Completion> RulesBackend::complete(const CompletionRequest& request, const TokenSink& on_token,
                                          std::stop_token stop) {
  if (stop.stop_requested()) return fail(ErrorCode::cancelled, "generation cancelled");
  auto match = rules::match_request(request.user_request, request.userland);
  if (!match) {
    // The verb is clear but not what it applies to: ask for it rather than guess.
    if (auto hint = rules::decline_hint(request.user_request)) {
      return fail(ErrorCode::unavailable, "no offline answer: the request does not say what to act on", *hint);
    }
    return fail(ErrorCode::unavailable, "no offline answer was found for this request",
                "rephrase it, or install a model with 'cmdai model pull NAME' or point cmdai at a server "
                "with --backend ollama|openai");
  }
  Completion completion;
  completion.text =
      json_text(nlohmann::json{{"command", match->answer.command}, {"explanation", match->answer.explanation}});
  completion.tokens_generated = 0;
  completion.confidence = match->confidence;
  if (on_token) on_token(completion.text);
  return completion;
}

Result<HealthStatus> RulesBackend::check_health(std::stop_token) {
  return HealthStatus{
      true, "ok: " + std::to_string(rules::template_library().templates.size()) + " templates", Micros{0}, {}};
}

}  // namespace cmdai::llm
