#include "routing/dispatcher.h"

#include <chrono>

namespace cmdai::routing {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Passes everything through to the wrapped backend, noting when the first
// token arrives.
class MeteredBackend final : public llm::Backend {
 public:
  explicit MeteredBackend(llm::Backend& inner) : m_inner(inner), m_start(SteadyClock::now()) {}

  BackendType type() const override { return m_inner.type(); }
  std::string name() const override { return m_inner.name(); }
  bool is_local() const override { return m_inner.is_local(); }
  Result<llm::Completion> complete(const llm::CompletionRequest& request, const llm::TokenSink& on_token,
                                   std::stop_token stop) override {
    return m_inner.complete(
        request,
        [&](std::string_view piece) {
          if (!m_first_token) m_first_token = std::chrono::duration_cast<Micros>(SteadyClock::now() - m_start);
          if (on_token) on_token(piece);
        },
        stop);
  }
  Result<llm::HealthStatus> check_health(std::stop_token stop) override { return m_inner.check_health(stop); }

  std::optional<Micros> first_token() const { return m_first_token; }
  Micros elapsed() const { return std::chrono::duration_cast<Micros>(SteadyClock::now() - m_start); }

 private:
  llm::Backend& m_inner;
  SteadyClock::time_point m_start;
  std::optional<Micros> m_first_token;
};

bool reachability_failure(const Error& error) {
  return error.code == ErrorCode::unavailable || error.code == ErrorCode::timeout;
}

std::string failure_notice(const std::vector<AttemptReport>& attempts, const std::string& answered_by) {
  std::string failed;
  for (const auto& a : attempts) {
    if (!a.error) continue;
    if (failed.find(a.instance + " (") != std::string::npos) continue;  // retries of the same instance
    failed += (failed.empty() ? "" : ", ") + a.instance + " (" + a.error->message + ")";
  }
  return failed + " could not answer; answered by " + answered_by + " instead";
}

}  // namespace

void Dispatcher::record(const BackendInstance& instance, const AttemptReport& report, Micros elapsed,
                        std::optional<Micros> first_token) {
  const Timestamp now = m_clock();
  RequestSample sample{now, elapsed, first_token, report.error ? Outcome::failure : Outcome::success,
                       report.error ? report.error->message : ""};
  const std::string key = metrics_key(instance);
  m_monitor.record_request(key, sample);
  if (instance.type == BackendType::rules) return;  // rules refusing a request is not being down
  if (!report.error) {
    m_monitor.record_health(key, {true, "answered a request", elapsed, now});
  } else if (!report.produced_tokens && reachability_failure(*report.error)) {
    m_monitor.record_health(key, {false, report.error->message, elapsed, now});
  }
}

AttemptReport Dispatcher::attempt_once(const BackendInstance& instance, const Attempt& attempt) {
  AttemptReport report{instance.name, std::nullopt, false, true};
  const auto start = SteadyClock::now();
  auto backend = m_factory(instance);
  if (!backend) {
    report.error = backend.error();
    report.created = false;
    record(instance, report, std::chrono::duration_cast<Micros>(SteadyClock::now() - start), std::nullopt);
    return report;
  }
  MeteredBackend metered(**backend);
  m_monitor.begin_request(metrics_key(instance));
  auto outcome = attempt(metered);
  m_monitor.end_request(metrics_key(instance));
  report.produced_tokens = metered.first_token().has_value();
  if (!outcome) report.error = outcome.error();
  if (!outcome && outcome.error().code == ErrorCode::cancelled) return report;  // not the instance's fault
  record(instance, report, std::chrono::duration_cast<Micros>(SteadyClock::now() - start), metered.first_token());
  return report;
}

Result<DispatchResult> Dispatcher::run(const SelectionResult& selection, const Attempt& attempt, std::stop_token stop) {
  std::vector<std::string> chain{selection.instance};
  chain.insert(chain.end(), selection.fallback_chain.begin(), selection.fallback_chain.end());
  DispatchResult result;
  for (const std::string& name : chain) {
    const BackendInstance* instance = m_registry.find(name);
    if (instance == nullptr) continue;
    // rules refuse deterministically: asking again cannot help.
    const int attempts = instance->type == BackendType::rules ? 1 : 1 + std::max(instance->retries, 0);
    for (int i = 0; i < attempts; ++i) {
      if (stop.stop_requested()) return fail(ErrorCode::cancelled, "the request was interrupted");
      AttemptReport report = attempt_once(*instance, attempt);
      result.attempts.push_back(report);
      if (!report.error) {
        result.backend_used = name;
        result.backend_type = instance->type;
        if (result.attempts.size() > 1) result.notices.push_back(failure_notice(result.attempts, name));
        return result;
      }
      if (report.error->code == ErrorCode::cancelled || report.produced_tokens) return fail(*report.error);
      if (report.error->code != ErrorCode::unavailable || !report.created) break;
    }
  }
  Error last = result.attempts.empty() ? Error{ErrorCode::unavailable, "no backend could answer", {}}
                                       : *result.attempts.back().error;
  std::string tried;
  for (const auto& a : result.attempts) {
    if (a.instance == result.attempts.back().instance) continue;
    const std::string item = a.instance + ": " + a.error->message;
    if (tried.find(item) == std::string::npos) tried += (tried.empty() ? "" : ", ") + item;
  }
  if (!tried.empty()) last.hint = (last.hint.empty() ? "" : last.hint + "; ") + "also tried " + tried;
  return fail(last);
}

}  // namespace cmdai::routing
