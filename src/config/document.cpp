#include "config/document.h"

#include <sstream>

#include "config/toml_patch.h"
#include "config/toml_value.h"

namespace cmdai::config {

struct ConfigDocument::Table {
  toml::table root;
  // The file as read, and what it parsed to: saves edit that text in place.
  std::string text;
  toml::table original;
};

namespace {

constexpr std::string_view k_header =
    "# cmdai configuration. Edit by hand, with `cmdai config set KEY VALUE` or `cmdai config edit`;\n"
    "# `cmdai config reference` lists every key. cmdai saves a change in place, keeping comments;\n"
    "# a change it cannot make in place rewrites the file, keeping values but not comments.\n\n";

}  // namespace

ConfigDocument::ConfigDocument(std::filesystem::path path, std::unique_ptr<Table> table)
    : m_path(std::move(path)), m_table(std::move(table)) {}
ConfigDocument::ConfigDocument(ConfigDocument&&) noexcept = default;
ConfigDocument& ConfigDocument::operator=(ConfigDocument&&) noexcept = default;
ConfigDocument::~ConfigDocument() = default;

Result<ConfigDocument> ConfigDocument::parse(std::string_view text, const std::filesystem::path& source) {
  auto table = std::make_unique<Table>();
  try {
    table->root = toml::parse(text, source.string());
    table->text = std::string(text);
    table->original = toml::parse(text, source.string());  // a copy would not keep source positions
  } catch (const toml::parse_error& error) {
    return fail(ErrorCode::corruption, describe_parse_error(error, source.string()),
                "fix the file, or run 'cmdai config reset' to start again (the old file is kept as .bak)");
  }
  return ConfigDocument(source, std::move(table));
}

Result<ConfigDocument> ConfigDocument::open(const Env& env, const std::filesystem::path& path) {
  if (!env.file_exists(path)) return ConfigDocument(path, std::make_unique<Table>());
  auto text = env.read_file(path);
  if (!text) return fail(text.error());
  return parse(*text, path);
}

void ConfigDocument::set(const ResolvedKey& key, const ConfigValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    remove(key.name);
    return;
  }
  assign_toml(m_table->root, key.name, value);
}

void ConfigDocument::set_all(const ConfigurationState& state) {
  for (const auto& key : concrete_keys(state)) set(key, get_value(state, key));
}

void ConfigDocument::set_changed(const ConfigurationState& before, const ConfigurationState& after) {
  for (const auto& key : concrete_keys(after)) {
    const ConfigValue value = get_value(after, key);
    if (value != get_value(before, key)) set(key, value);
  }
  for (const auto& key : concrete_keys(before)) {
    if (after.backend_configs.count(key.instance) == 0 && !key.instance.empty()) remove(key.name);
  }
}

bool ConfigDocument::remove(std::string_view dotted) { return erase_toml(m_table->root, dotted); }

bool ConfigDocument::contains(std::string_view dotted) const { return m_table->root.at_path(dotted).node() != nullptr; }

std::vector<std::pair<std::string, int>> ConfigDocument::keys() const {
  std::vector<TomlLeaf> leaves;
  collect_leaves(m_table->root, "", leaves);
  std::vector<std::pair<std::string, int>> out;
  for (const auto& leaf : leaves) out.emplace_back(leaf.name, leaf.line);
  return out;
}

Result<ConfigValue> ConfigDocument::value(const ResolvedKey& key) const {
  const toml::node* node = m_table->root.at_path(key.name).node();
  if (node == nullptr) return ConfigValue{};
  return from_toml(key.spec->type, *node);
}

std::string ConfigDocument::to_toml() const {
  if (!m_table->text.empty()) {
    if (auto patched = patch_toml(m_table->text, m_table->original, m_table->root)) return std::move(*patched);
  }
  std::ostringstream out;
  out << k_header << toml::toml_formatter(m_table->root, k_toml_format) << "\n";
  return out.str();
}

Result<void> ConfigDocument::save(Env& env) const {
  auto written = env.write_file_atomic(m_path, to_toml());
  if (!written) {
    return fail(ErrorCode::io_error, "cannot save " + m_path.string() + ": " + written.error().message,
                "check that the directory is writable; the old file is unchanged");
  }
  return {};
}

}  // namespace cmdai::config
