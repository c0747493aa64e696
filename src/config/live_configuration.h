#pragma once
// LiveConfiguration: the configuration a running cmdai uses, with change
// notifications. Subscribers (the pipeline, the editor, the selector, the
// audit trail in cli) receive one ConfigChange per key whose value changed,
// so a change takes effect without a restart.
//
// Thread safety: every member may be called from any thread. Callbacks run on
// the thread that called update(), after the new state is visible, outside
// the internal lock (a callback may call snapshot() or update()).

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/configuration.h"

namespace cmdai::config {

struct ConfigChange {
  std::string field_name;  // dotted key: "safety.level", "backend.instances.work.endpoint"
  std::string old_value;   // as to_text() writes it; "" for none
  std::string new_value;

  bool operator==(const ConfigChange&) const = default;
};

// The keys whose values differ between two states, in key-table order.
std::vector<ConfigChange> diff(const ConfigurationState& before, const ConfigurationState& after);

class LiveConfiguration {
 public:
  using Subscriber = std::function<void(const ConfigChange&)>;

  // Unsubscribes when destroyed; must not outlive its LiveConfiguration.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&&) noexcept;
    Subscription& operator=(Subscription&&) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();

   private:
    friend class LiveConfiguration;
    Subscription(LiveConfiguration* owner, int id) : m_owner(owner), m_id(id) {}
    LiveConfiguration* m_owner = nullptr;
    int m_id = 0;
  };

  explicit LiveConfiguration(ConfigurationState initial);

  ConfigurationState snapshot() const;
  [[nodiscard]] Subscription subscribe(Subscriber subscriber);
  // Replaces the state and notifies every subscriber of each change; returns
  // the changes (empty when nothing differs).
  std::vector<ConfigChange> update(ConfigurationState next);

 private:
  void unsubscribe(int id);

  mutable std::mutex m_mutex;
  ConfigurationState m_state;
  std::vector<std::pair<int, std::shared_ptr<Subscriber>>> m_subscribers;
  int m_next_id = 1;
};

// Loads the configuration again (file, environment, overrides) and publishes
// what changed to live's subscribers: how a running cmdai picks up an edit
// without a restart. The returned warnings are the new load's.
LoadedConfiguration reload(LiveConfiguration& live, const Env& env, const std::filesystem::path& path,
                           const std::vector<Override>& overrides = {});

}  // namespace cmdai::config
