#pragma once
// The offline rules backend: the Backend face of the rule engine
// (src/rules), which answers everyday requests from a template library in
// well under a millisecond, with no model. It refuses (error unavailable)
// rather than guess when no template fits.

#include <memory>

#include "llm/backend.h"

namespace cmdai::llm {

class RulesBackend final : public Backend {
 public:
  BackendType type() const override { return BackendType::rules; }
  std::string name() const override { return "rules"; }
  bool is_local() const override { return true; }
  Result<Completion> complete(const CompletionRequest& request, const TokenSink& on_token,
                              std::stop_token stop) override;
  Result<HealthStatus> check_health(std::stop_token stop) override;
};

}  // namespace cmdai::llm
