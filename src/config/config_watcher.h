#pragma once
// ConfigWatcher: how a running cmdai learns of changes made by another
// process - `cmdai config set` in another terminal, the editor's Save, a text
// editor writing config.toml. Callers poll() at the points where a change may
// take effect (the pipeline before each request, the editor between keys);
// when the file's bytes differ from those of the last load, the
// configuration is loaded again (file, the same environment, the same
// command-line overrides) and LiveConfiguration::update() tells every
// subscriber {field_name, old_value, new_value} for each key that changed.
//
// Why bytes and not mtime/inotify: the file is a few hundred bytes, so a read
// costs about as much as a stat; comparing contents never misses a save made
// within one timestamp tick or a same-size rewrite, needs no descriptor or
// thread, and works through the Env seam. A file that vanishes reads as
// "no file" (defaults); a file that cannot be read is skipped until it can.
//
// Thread safety: poll() may be called from several threads; each call
// publishes on the calling thread, in order (see LiveConfiguration). A
// subscriber must not call poll() itself.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/configuration.h"
#include "config/live_configuration.h"
#include "core/env.h"

namespace cmdai::config {

// What a load reads: everything (what cmdai runs with) or only defaults and
// the file (what the editor edits).
enum class WatchedLayers { all, file_only };

class ConfigWatcher {
 public:
  // Loads path now; live() starts with that configuration. env must outlive
  // the watcher.
  ConfigWatcher(const Env& env, std::filesystem::path path, std::vector<Override> overrides = {},
                WatchedLayers layers = WatchedLayers::all);

  LiveConfiguration& live() { return m_live; }
  const std::filesystem::path& path() const { return m_path; }
  // The warnings of the last load ("config.toml:12: ...").
  std::vector<std::string> warnings() const;

  // Reloads when the file changed since the last load and returns the
  // changes published (empty when nothing changed or the file could not be
  // read). new_warnings, when given, receives the new load's warnings.
  std::vector<ConfigChange> poll(std::vector<std::string>* new_warnings = nullptr);

 private:
  // The file's bytes; "" and missing differ (nullopt: missing); io errors
  // give unreadable.
  struct Contents {
    bool readable = true;
    std::optional<std::string> bytes;
  };
  Contents read() const;
  LoadedConfiguration load() const;

  const Env& m_env;
  std::filesystem::path m_path;
  std::vector<Override> m_overrides;
  WatchedLayers m_layers;
  mutable std::mutex m_mutex;
  std::optional<std::string> m_bytes;  // what the last load read
  std::vector<std::string> m_warnings;
  LiveConfiguration m_live;
};

}  // namespace cmdai::config
