#pragma once
// The configuration keys as data: one row per key with its dotted name, type,
// default, help, validator and environment variable. The same table drives
// TOML parsing, `cmdai config show|get|set`, the editor's forms and the
// reference in README.md (reference.h).
//
// Per-instance keys are written with '*' for the instance name:
// "backend.instances.*.endpoint" covers backend.instances.work.endpoint; their
// environment variable has the upper-cased name in place of '*'
// (CMDAI_BACKEND_WORK_ENDPOINT).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_value.h"
#include "config/configuration.h"

namespace cmdai::config {

// An error message for a bad value, or nullopt. context is the whole state
// the value is going into (a fallback chain may name configured instances).
using Validator = std::optional<std::string> (*)(const ConfigValue& value, const ConfigurationState& context);
using Getter = ConfigValue (*)(const ConfigurationState& state, const std::string& instance);
using Setter = void (*)(ConfigurationState& state, const std::string& instance, const ConfigValue& value);

struct KeySpec {
  std::string_view name;  // "history.max_entries"
  KeyType type = KeyType::text;
  std::string_view default_text;          // the default as to_text() writes it; "" for none
  std::string_view section;               // the editor's section: "Backend Configuration" ...
  std::string_view label;                 // the editor's label: "max entries"
  std::string_view help;                  // one sentence for people
  std::string_view env_var;               // "CMDAI_HISTORY_MAX_ENTRIES"
  std::vector<std::string_view> choices;  // allowed values of choice keys (and list items, where fixed)
  bool optional = false;                  // may be unset (monostate)
  Validator validate = nullptr;
  Getter get = nullptr;
  Setter set = nullptr;
};

const std::vector<KeySpec>& key_table();

// The editor's sections, in order.
const std::vector<std::string_view>& section_names();

bool is_instance_key(const KeySpec& spec);

// A concrete key: its spec plus, for per-instance keys, the instance name.
struct ResolvedKey {
  const KeySpec* spec = nullptr;
  std::string instance;  // "" for fixed keys
  std::string name;      // the concrete dotted name
};

// nullopt for unknown names or bad instance names (letters, digits, '-', '_').
std::optional<ResolvedKey> resolve_key(std::string_view dotted);
ResolvedKey instance_key(const KeySpec& spec, const std::string& instance);
std::string env_var_for(const ResolvedKey& key);

// Every fixed key, then each instance's keys for every instance in state.
std::vector<ResolvedKey> concrete_keys(const ConfigurationState& state);

ConfigValue get_value(const ConfigurationState& state, const ResolvedKey& key);
// Assigns value (monostate on a key that is not optional means its default).
void set_value(ConfigurationState& state, const ResolvedKey& key, const ConfigValue& value);
// The value a fresh state holds for this key.
ConfigValue default_value(const ResolvedKey& key);

// Type check, then the key's validator. Returns an error message or nullopt.
std::optional<std::string> check_value(const ResolvedKey& key, const ConfigValue& value,
                                       const ConfigurationState& context);

// Values a choice-like key can take in this state (backend.preferred also
// offers configured instance names); empty for free-form keys.
std::vector<std::string> choices_for(const ResolvedKey& key, const ConfigurationState& state);

// The known key names closest to a misspelt one ("histroy.enabled").
std::optional<std::string> closest_key(std::string_view dotted);

}  // namespace cmdai::config
