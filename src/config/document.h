#pragma once
// ConfigDocument: the configuration file as the user wrote it, for editing.
// Changes touch only the keys they name, so every other key the user set -
// including keys this version of cmdai does not know, which it keeps but
// ignores - survives a save. Saving is atomic (temp file + rename via Env).
// A save edits the file's text in place (config/toml_patch.h), so comments,
// blank lines and key order stay; when a change cannot be made that way the
// file is written afresh (values and tables kept, comments not; a short
// header says so).

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_value.h"
#include "config/key_table.h"
#include "core/env.h"
#include "core/error.h"

namespace cmdai::config {

class ConfigDocument {
 public:
  // Reads path; a missing file gives an empty document. Errors: corruption
  // ("config.toml:3: ...") when the file does not parse - nothing may be
  // saved over it until it is fixed or reset; io_error when unreadable.
  static Result<ConfigDocument> open(const Env& env, const std::filesystem::path& path);
  // Parses text as if read from source (for import).
  static Result<ConfigDocument> parse(std::string_view text, const std::filesystem::path& source);

  ConfigDocument(ConfigDocument&&) noexcept;
  ConfigDocument& operator=(ConfigDocument&&) noexcept;
  ~ConfigDocument();

  // Writes one key; monostate removes it.
  void set(const ResolvedKey& key, const ConfigValue& value);
  // Writes every key of state (export: a file that reproduces state).
  void set_all(const ConfigurationState& state);
  // Writes the keys whose values differ between before and after (the
  // editor's Save); keys left alone keep what the file says.
  void set_changed(const ConfigurationState& before, const ConfigurationState& after);
  // Removes a key; true when it was present.
  bool remove(std::string_view dotted);
  bool contains(std::string_view dotted) const;
  // Every value in the document (known or not) as dotted name and line.
  std::vector<std::pair<std::string, int>> keys() const;
  // The value of a known key as the file holds it; errors for a wrong type.
  Result<ConfigValue> value(const ResolvedKey& key) const;

  std::string to_toml() const;
  // Atomic: readers see the old file or the new one. Errors: io_error with
  // the path (read-only directory, disk full); the old file is untouched.
  Result<void> save(Env& env) const;
  const std::filesystem::path& path() const { return m_path; }

 private:
  struct Table;
  ConfigDocument(std::filesystem::path path, std::unique_ptr<Table> table);

  std::filesystem::path m_path;
  std::unique_ptr<Table> m_table;
};

}  // namespace cmdai::config
