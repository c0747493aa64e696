#include "config/live_configuration.h"

#include <set>

#include "config/key_table.h"

namespace cmdai::config {

std::vector<ConfigChange> diff(const ConfigurationState& before, const ConfigurationState& after) {
  std::vector<ConfigChange> changes;
  std::set<std::string> seen;
  for (const auto* state : {&before, &after}) {
    for (const auto& key : concrete_keys(*state)) {
      if (!seen.insert(key.name).second) continue;
      std::string old_value = to_text(get_value(before, key));
      std::string new_value = to_text(get_value(after, key));
      if (old_value != new_value) changes.push_back({key.name, std::move(old_value), std::move(new_value)});
    }
  }
  return changes;
}

LiveConfiguration::Subscription::Subscription(Subscription&& other) noexcept
    : m_owner(other.m_owner), m_id(other.m_id) {
  other.m_owner = nullptr;
}

LiveConfiguration::Subscription& LiveConfiguration::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    if (m_owner != nullptr) m_owner->unsubscribe(m_id);
    m_owner = other.m_owner;
    m_id = other.m_id;
    other.m_owner = nullptr;
  }
  return *this;
}

LiveConfiguration::Subscription::~Subscription() {
  if (m_owner != nullptr) m_owner->unsubscribe(m_id);
}

LiveConfiguration::LiveConfiguration(ConfigurationState initial) : m_state(std::move(initial)) {}

ConfigurationState LiveConfiguration::snapshot() const {
  std::lock_guard lock(m_mutex);
  return m_state;
}

LiveConfiguration::Subscription LiveConfiguration::subscribe(Subscriber subscriber) {
  std::lock_guard lock(m_mutex);
  const int id = m_next_id++;
  m_subscribers.emplace_back(id, std::make_shared<Subscriber>(std::move(subscriber)));
  return Subscription(this, id);
}

void LiveConfiguration::unsubscribe(int id) {
  std::lock_guard lock(m_mutex);
  std::erase_if(m_subscribers, [id](const auto& entry) { return entry.first == id; });
}

std::vector<ConfigChange> LiveConfiguration::update(ConfigurationState next) {
  std::vector<ConfigChange> changes;
  std::vector<std::shared_ptr<Subscriber>> subscribers;
  {
    std::lock_guard lock(m_mutex);
    changes = diff(m_state, next);
    m_state = std::move(next);
    for (const auto& [id, subscriber] : m_subscribers) subscribers.push_back(subscriber);
  }
  for (const auto& change : changes) {
    for (const auto& subscriber : subscribers) (*subscriber)(change);
  }
  return changes;
}

LoadedConfiguration reload(LiveConfiguration& live, const Env& env, const std::filesystem::path& path,
                           const std::vector<Override>& overrides) {
  LoadedConfiguration loaded = load_configuration(env, path, overrides);
  live.update(loaded.state);
  return loaded;
}

}  // namespace cmdai::config
