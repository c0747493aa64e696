#pragma once
// FakeBackend: a Backend whose answers, failures and health tests script,
// and a factory handing out FakeBackends by instance name.

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "llm/backend.h"
#include "routing/instance.h"

namespace cmdai::testing {

struct FakeScript {
  std::string answer = R"({"command": "ls -la", "explanation": "Lists files."})";
  std::optional<Error> fail_before_token;  // complete() fails without calling on_token
  std::optional<Error> fail_after_token;   // complete() emits one token, then fails
  bool healthy = true;
  std::string health_detail = "ok";
  bool hang_health_until_stopped = false;  // check_health waits for the stop request
  std::atomic<int> completions{0};
  std::atomic<int> health_checks{0};
};

class FakeBackend final : public llm::Backend {
 public:
  FakeBackend(routing::BackendInstance instance, std::shared_ptr<FakeScript> script)
      : m_instance(std::move(instance)), m_script(std::move(script)) {}

  BackendType type() const override { return m_instance.type; }
  std::string name() const override { return m_instance.name; }
  bool is_local() const override { return m_instance.local; }

  Result<llm::Completion> complete(const llm::CompletionRequest&, const llm::TokenSink& on_token,
                                   std::stop_token stop) override {
    ++m_script->completions;
    if (stop.stop_requested()) return fail(ErrorCode::cancelled, "stopped");
    if (m_script->fail_before_token) return fail(*m_script->fail_before_token);
    if (on_token) on_token(m_script->answer.substr(0, 1));
    if (m_script->fail_after_token) return fail(*m_script->fail_after_token);
    if (on_token) on_token(m_script->answer.substr(1));
    llm::Completion completion;
    completion.text = m_script->answer;
    completion.tokens_generated = 2;
    return completion;
  }

  Result<llm::HealthStatus> check_health(std::stop_token stop) override {
    ++m_script->health_checks;
    if (m_script->hang_health_until_stopped) {
      std::mutex mutex;
      std::condition_variable_any cv;
      std::unique_lock lock(mutex);
      cv.wait(lock, stop, [] { return false; });
      return fail(ErrorCode::cancelled, "stopped");
    }
    llm::HealthStatus status;
    status.healthy = m_script->healthy;
    status.detail = m_script->health_detail;
    return status;
  }

 private:
  routing::BackendInstance m_instance;
  std::shared_ptr<FakeScript> m_script;
};

// Scripts by instance name; an instance without a script cannot be created.
class FakeFleet {
 public:
  std::shared_ptr<FakeScript> script(const std::string& name) {
    std::lock_guard lock(m_mutex);
    auto& slot = m_scripts[name];
    if (!slot) slot = std::make_shared<FakeScript>();
    return slot;
  }

  routing::BackendFactory factory() {
    return [this](const routing::BackendInstance& instance) -> Result<std::unique_ptr<llm::Backend>> {
      std::lock_guard lock(m_mutex);
      auto it = m_scripts.find(instance.name);
      if (it == m_scripts.end()) return fail(ErrorCode::unavailable, instance.name + " is not scripted");
      return std::unique_ptr<llm::Backend>(std::make_unique<FakeBackend>(instance, it->second));
    };
  }

 private:
  std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<FakeScript>> m_scripts;
};

// A server instance; by default at a dead port, on a path of its own so that
// each instance has its own metrics_key.
inline routing::BackendInstance server(const std::string& name, BackendType type = BackendType::vllm,
                                       const std::optional<std::string>& endpoint = std::nullopt) {
  routing::BackendInstance instance;
  instance.name = name;
  instance.type = type;
  instance.endpoint = endpoint.value_or("http://127.0.0.1:9/" + name);
  instance.local = true;
  return instance;
}

}  // namespace cmdai::testing
