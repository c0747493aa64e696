#include "config/config_watcher.h"

namespace cmdai::config {

ConfigWatcher::ConfigWatcher(const Env& env, std::filesystem::path path, std::vector<Override> overrides,
                             WatchedLayers layers)
    : m_env(env),
      m_path(std::move(path)),
      m_overrides(std::move(overrides)),
      m_layers(layers),
      m_live(ConfigurationState{}) {
  m_bytes = read().bytes;
  LoadedConfiguration loaded = load();
  m_warnings = std::move(loaded.warnings);
  m_live.update(std::move(loaded.state));
}

ConfigWatcher::Contents ConfigWatcher::read() const {
  if (!m_env.file_exists(m_path)) return {true, std::nullopt};
  auto text = m_env.read_file(m_path);
  if (!text) return {false, std::nullopt};
  return {true, std::move(*text)};
}

LoadedConfiguration ConfigWatcher::load() const {
  if (m_layers == WatchedLayers::file_only) return load_file_only(m_env, m_path);
  return load_configuration(m_env, m_path, m_overrides);
}

std::vector<std::string> ConfigWatcher::warnings() const {
  std::lock_guard lock(m_mutex);
  return m_warnings;
}

std::vector<ConfigChange> ConfigWatcher::poll(std::vector<std::string>* new_warnings) {
  std::lock_guard lock(m_mutex);
  Contents now = read();
  if (!now.readable || now.bytes == m_bytes) return {};
  // If the file changes again between this read and the load, the next
  // poll sees bytes that differ from these and loads once more.
  m_bytes = std::move(now.bytes);
  LoadedConfiguration loaded = load();
  m_warnings = loaded.warnings;
  if (new_warnings != nullptr) *new_warnings = std::move(loaded.warnings);
  // Publishing under the lock keeps two polls' changes in order.
  return m_live.update(std::move(loaded.state));
}

}  // namespace cmdai::config
