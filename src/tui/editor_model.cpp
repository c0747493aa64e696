#include "tui/editor_model.h"

#include <algorithm>
#include <utility>

#include "config/live_configuration.h"
#include "config/validators.h"

namespace cmdai::tui {
namespace {

const std::vector<std::string> k_server_instances{"ollama", "openai", "vllm", "mlx", "llama"};

std::vector<std::string> instance_names(const config::ConfigurationState& state) {
  std::vector<std::string> names;
  for (const auto& [name, config] : state.backend_configs) names.push_back(name);
  for (const auto& name : k_server_instances) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

// Why name cannot be a new instance, or nullopt ("" is no name yet: no error).
std::optional<std::string> instance_name_problem(const std::string& name, const config::ConfigurationState& state) {
  if (name.empty()) return std::nullopt;
  if (auto problem = config::check_instance_name(name)) return problem;
  if (name == "rules") return std::string("rules is built in and always last");
  if (state.backend_configs.count(name) != 0) return "an instance named " + name + " exists already";
  return std::nullopt;
}

// The type a new instance starts with: its name or the part before '-'/'_'
// when that is a type, else openai (any OpenAI-compatible server).
BackendType type_for_name(const std::string& name) {
  if (auto parsed = parse_backend_type(name)) return *parsed;
  if (auto parsed = parse_backend_type(name.substr(0, name.find_first_of("-_")))) return *parsed;
  return BackendType::openai;
}

}  // namespace

EditorModel::EditorModel(config::ConfigurationState file_state, std::map<std::string, config::ValueOrigin> origins,
                         CommandRater rater)
    : m_saved(file_state), m_edited(std::move(file_state)), m_origins(std::move(origins)), m_rater(std::move(rater)) {
  if (!m_edited.backend_configs.empty()) m_instance = m_edited.backend_configs.begin()->first;
  build_rows();
}

Row EditorModel::row_for(const config::ResolvedKey& key) const {
  Row row;
  row.key = key;
  row.label = std::string(key.spec->label);
  row.help = std::string(key.spec->help);
  const bool is_choice = key.spec->type == config::KeyType::boolean || key.spec->type == config::KeyType::choice;
  row.kind = is_choice ? RowKind::choice : RowKind::text;
  if (key.spec->type == config::KeyType::boolean) row.choices = {"true", "false"};
  if (key.spec->type == config::KeyType::choice) row.choices = config::choices_for(key, m_edited);
  if (key.spec->optional && key.spec->type == config::KeyType::boolean) row.choices.insert(row.choices.begin(), "");
  // An instance not named after its type must say which it is.
  if (key.spec->name.ends_with(".type") && !parse_backend_type(key.instance)) std::erase(row.choices, "");
  row.text = config::to_text(config::get_value(m_edited, key));
  if (auto it = m_invalid.find(key.name); it != m_invalid.end()) {
    row.text = it->second;
    auto value = config::parse_text(key.spec->type, row.text);
    row.error = value ? config::check_value(key, *value, m_edited) : value.error().message;
  }
  if (auto it = m_origins.find(key.name); it != m_origins.end() && it->second.origin != config::Origin::file &&
                                          it->second.origin != config::Origin::default_value) {
    row.note = it->second.where + " overrides this value when cmdai runs here";
  }
  return row;
}

void EditorModel::build_rows() {
  m_rows.clear();
  const std::string_view section = config::section_names()[m_section];
  for (const auto& spec : config::key_table()) {
    if (spec.section != section) continue;
    if (config::is_instance_key(spec)) {
      if (spec.name.ends_with(".type")) {
        Row selector;
        selector.kind = RowKind::instance;
        selector.label = "instance";
        selector.choices = instance_names(m_edited);
        selector.text = m_instance;
        selector.help = "Which instance the rows below edit (Left/Right to switch).";
        m_rows.push_back(std::move(selector));
      }
      m_rows.push_back(row_for(config::instance_key(spec, m_instance)));
      continue;
    }
    m_rows.push_back(row_for({&spec, "", std::string(spec.name)}));
    // The test box sits under the level and patterns it is rated with.
    if (spec.name == "safety.custom_patterns") {
      Row probe;
      probe.kind = RowKind::probe;
      probe.label = "test a command";
      probe.text = m_probe;
      probe.help = "Type a command to see the level the safety validator gives it.";
      m_rows.push_back(std::move(probe));
    }
  }
  if (section == "Backend Configuration") {
    Row add;
    add.kind = RowKind::new_instance;
    add.label = "add instance";
    add.text = m_new_instance;
    add.error = instance_name_problem(m_new_instance, m_edited);
    add.help = "Type a name and press Enter to add an instance; Delete on the instance row removes one.";
    m_rows.push_back(std::move(add));
  }
  m_focus = std::min(m_focus, m_rows.size() - 1);
}

void EditorModel::set_section(std::size_t section) {
  m_section = section % config::section_names().size();
  m_focus = 0;
  build_rows();
}

void EditorModel::focus_next() {
  if (m_focus + 1 < m_rows.size()) {
    ++m_focus;
    return;
  }
  set_section(m_section + 1);
}

void EditorModel::focus_previous() {
  if (m_focus > 0) {
    --m_focus;
    return;
  }
  set_section(m_section + config::section_names().size() - 1);
  m_focus = m_rows.size() - 1;
}

void EditorModel::focus_row(std::size_t row) { m_focus = std::min(row, m_rows.size() - 1); }

void EditorModel::cycle(int direction) {
  Row& row = m_rows[m_focus];
  if (row.choices.empty()) return;
  auto it = std::find(row.choices.begin(), row.choices.end(), row.text);
  const auto count = static_cast<long>(row.choices.size());
  long index = it == row.choices.end() ? 0 : (it - row.choices.begin()) + direction;
  index = ((index % count) + count) % count;
  const std::string next = row.choices[static_cast<std::size_t>(index)];
  if (row.kind == RowKind::instance) {
    m_instance = next;
    build_rows();
    return;
  }
  apply(row, next);
}

void EditorModel::set_text(const std::string& text) {
  Row& row = m_rows[m_focus];
  if (row.kind == RowKind::probe) {
    m_probe = text;
    row.text = text;
    rerate();
    return;
  }
  if (row.kind == RowKind::text) apply(row, text);
  if (row.kind == RowKind::new_instance) {
    m_new_instance = text;
    row.text = text;
    row.error = instance_name_problem(text, m_edited);
  }
}

std::optional<std::string> EditorModel::add_instance() {
  if (m_rows[m_focus].kind != RowKind::new_instance) return std::string("not on the add-instance row");
  if (m_new_instance.empty()) return std::string("type a name first");
  if (auto problem = instance_name_problem(m_new_instance, m_edited)) return problem;
  const std::string name = std::exchange(m_new_instance, {});
  const auto type_key = config::resolve_key("backend.instances." + name + ".type");
  config::set_value(m_edited, *type_key, config::ConfigValue{std::string(to_string(type_for_name(name)))});
  m_instance = name;
  build_rows();
  for (std::size_t i = 0; i < m_rows.size(); ++i) {
    if (m_rows[i].key.spec == type_key->spec) m_focus = i;  // edit it next
  }
  return std::nullopt;
}

Result<std::string> EditorModel::remove_instance() {
  if (m_edited.backend_configs.count(m_instance) == 0) {
    return fail(ErrorCode::not_found, m_instance + " is not configured here; nothing to remove");
  }
  const std::string name = m_instance;
  config::ConfigurationState next = m_edited;
  next.backend_configs.erase(name);
  std::string words = "removed instance " + name;
  auto& chain = next.fallback_instances;
  if (std::erase(chain, name) > 0) words += "; dropped from the fallback chain";
  if (next.preferred_instance == name) {
    next.preferred_instance.reset();
    words += "; preferred backend is auto again";
  }
  // set_value keeps the types the names stand for in step.
  config::set_value(next, *config::resolve_key("backend.fallback_chain"), config::ConfigValue{chain});
  std::erase_if(m_invalid,
                [&](const auto& entry) { return entry.first.starts_with("backend.instances." + name + "."); });
  m_edited = std::move(next);
  m_instance = instance_names(m_edited).front();
  build_rows();
  return words + " (Save writes it)";
}

void EditorModel::apply(Row& row, const std::string& text) {
  row.text = text;
  auto value = config::parse_text(row.key.spec->type, text);
  config::ConfigurationState next = m_edited;
  if (value) config::set_value(next, row.key, *value);
  row.error = value ? config::check_value(row.key, *value, next) : value.error().message;
  if (row.error) {
    m_invalid[row.key.name] = text;
    return;
  }
  m_invalid.erase(row.key.name);
  const bool safety_changed = row.key.name.starts_with("safety.");
  m_edited = std::move(next);
  if (safety_changed) rerate();
  // Other rows may depend on this one (a chain naming a new instance).
  for (auto& other : m_rows) {
    if (&other != &row && other.key.spec != nullptr && m_invalid.count(other.key.name)) {
      other = row_for(other.key);
    }
  }
}

void EditorModel::rerate() { m_probe_result = m_probe.empty() || !m_rater ? "" : m_rater(m_probe, m_edited); }

bool EditorModel::dirty() const { return !config::diff(m_saved, m_edited).empty(); }

std::size_t EditorModel::error_count() const { return m_invalid.size(); }

void EditorModel::mark_saved() { m_saved = m_edited; }

std::vector<std::string> EditorModel::merge_external(const config::ConfigurationState& file_state) {
  config::ConfigurationState merged = file_state;
  std::vector<std::string> kept;
  for (const auto& [name, config] : m_saved.backend_configs) {
    if (m_edited.backend_configs.count(name) == 0) merged.backend_configs.erase(name);  // removed here
  }
  for (const auto& key : config::concrete_keys(m_edited)) {
    const config::ConfigValue mine = config::get_value(m_edited, key);
    if (mine == config::get_value(m_saved, key)) continue;  // not edited here
    if (config::get_value(file_state, key) != config::get_value(m_saved, key)) kept.push_back(key.name);
    config::set_value(merged, key, mine);
  }
  m_saved = file_state;
  m_edited = std::move(merged);
  const auto names = instance_names(m_edited);
  if (std::find(names.begin(), names.end(), m_instance) == names.end()) m_instance = names.front();
  build_rows();
  rerate();
  return kept;
}

}  // namespace cmdai::tui
