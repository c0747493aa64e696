// cmdai config show|get|set|unset|reset|path|export|import|history|edit|reference
//
// Every change to the file goes through one path: open the document (a file
// that does not parse is never overwritten), change it, save atomically,
// then publish the difference of the file's states through
// config::LiveConfiguration; the audit trail in the history database's
// `configuration` table is one of its subscribers.

#include <ostream>

#include "cli/confirm.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "config/document.h"
#include "config/key_table.h"
#include "config/live_configuration.h"
#include "config/reference.h"
#include "core/entity_json.h"
#include "core/time.h"
#include "pipeline/settings.h"
#include "safety/validator.h"
#include "store/database.h"
#include "store/migrations.h"
#include "tui/config_editor.h"

namespace cmdai::cli {

// --- the command-line layer ---------------------------------------------------

bool names_config_file(std::string_view value) { return value.find('=') == std::string_view::npos; }

std::vector<config::Override> command_line_overrides(const Invocation& inv) {
  const ParsedArgs& args = inv.args;
  std::vector<config::Override> out;
  if (auto it = args.flags.find("config"); it != args.flags.end()) {
    for (const auto& pair : it->second) {
      if (names_config_file(pair)) continue;  // the file itself: Invocation::paths.config_file
      const auto eq = pair.find('=');
      out.push_back({pair.substr(0, eq), pair.substr(eq + 1), "--config"});
    }
  }
  if (auto backend = args.value("backend")) out.push_back({"backend.preferred", *backend, "--backend"});
  if (auto tokens = args.value("min-context")) out.push_back({"backend.require.min_context", *tokens, "--min-context"});
  if (auto it = args.flags.find("require-capability"); it != args.flags.end()) {
    std::string list;
    for (const auto& name : it->second) list += (list.empty() ? "" : ", ") + name;
    out.push_back({"backend.require.capabilities", list, "--require-capability"});
  }
  if (auto family = args.value("model-family"))
    out.push_back({"backend.require.model_family", *family, "--model-family"});
  if (args.has("no-color")) out.push_back({"ui.color", "false", "--no-color"});
  if (args.has("stream")) out.push_back({"ui.streaming", "true", "--stream"});
  if (args.has("no-stream")) out.push_back({"ui.streaming", "false", "--no-stream"});
  return out;
}

namespace {

config::LoadedConfiguration load_effective(Invocation& inv) {
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << warning << "\n";
  return loaded;
}

// --- values for people and programs --------------------------------------------

nlohmann::json value_json(const config::ConfigValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b;
  if (const auto* n = std::get_if<std::int64_t>(&value)) return *n;
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* l = std::get_if<std::vector<std::string>>(&value)) return *l;
  return nullptr;
}

std::string origin_words(const config::LoadedConfiguration& loaded, const std::string& key) {
  auto it = loaded.origins.find(key);
  if (it == loaded.origins.end()) return "default";
  return std::string(config::to_string(it->second.origin)) + " " + it->second.where;
}

Error unknown_key(const std::string& name) {
  auto near = config::closest_key(name);
  return Error{ErrorCode::invalid_argument, "unknown configuration key '" + name + "'",
               near ? "did you mean '" + *near + "'?" : "see cmdai config reference"};
}

ExitCode show(Invocation& inv) {
  const auto loaded = load_effective(inv);
  const auto keys = config::concrete_keys(loaded.state);
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& key : keys) {
      auto it = loaded.origins.find(key.name);
      out[key.name] = {{"value", value_json(config::get_value(loaded.state, key))},
                       {"origin", it == loaded.origins.end() ? "default" : config::to_string(it->second.origin)},
                       {"where", it == loaded.origins.end() ? "" : it->second.where}};
    }
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& key : keys) {
    std::string line = key.name + " = " + config::to_text(config::get_value(loaded.state, key));
    line += std::string(line.size() < 52 ? 52 - line.size() : 1, ' ');
    inv.out << line << dim(inv.color) << "(" << origin_words(loaded, key.name) << ")" << reset_color(inv.color) << "\n";
  }
  return ExitCode::ok;
}

ExitCode get(Invocation& inv) {
  if (inv.words.size() != 2) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "config get needs a key", "cmdai config get KEY"});
  }
  auto key = config::resolve_key(inv.words[1]);
  if (!key) return report_error(inv, unknown_key(inv.words[1]));
  const auto loaded = load_effective(inv);
  const auto value = config::get_value(loaded.state, *key);
  if (inv.format != OutputFormat::plain) {
    write_structured(inv,
                     {{"key", key->name}, {"value", value_json(value)}, {"origin", origin_words(loaded, key->name)}});
  } else {
    inv.out << config::to_text(value) << "\n";
  }
  return ExitCode::ok;
}

// --- the audit trail ------------------------------------------------------------

// One row per change: key "<field>@<time>", value {key, old_value, new_value,
// source}. The seed's table has key as its primary key; the time in the key
// lets it hold every change rather than only the last one.
class AuditTrail {
 public:
  AuditTrail(Invocation& inv, std::string source) : m_inv(inv), m_source(std::move(source)) {}

  // All changes of one save in one transaction (one fsync, not one each).
  void record(const std::vector<config::ConfigChange>& changes) {
    if (changes.empty()) return;
    store::Database* db = open();
    if (db == nullptr) return;
    if (auto done = insert(*db, changes); !done) warn(done.error());
  }

 private:
  store::Database* open() {
    if (!m_db) {
      m_db = store::Database::open(m_inv.paths.history_db);
      if (*m_db) {
        if (auto migrated = store::migrate(**m_db); !migrated) m_db = fail(migrated.error());
      }
      if (!*m_db) warn(m_db->error());
    }
    return *m_db ? &**m_db : nullptr;
  }
  Result<void> insert(store::Database& db, const std::vector<config::ConfigChange>& changes) {
    auto transaction = store::Transaction::begin(db);
    if (!transaction) return fail(transaction.error());
    auto statement = db.prepare("INSERT OR REPLACE INTO configuration(key, value, last_updated) VALUES (?, ?, ?)");
    if (!statement) return fail(statement.error());
    const std::string now = format_iso8601(m_inv.env.now());
    for (const auto& change : changes) {
      const nlohmann::json value{{"key", change.field_name},
                                 {"old_value", change.old_value},
                                 {"new_value", change.new_value},
                                 {"source", m_source}};
      CMDAI_TRY(statement->bind(1, change.field_name + "@" + now).bind(2, json_text(value)).bind(3, now).run());
      CMDAI_TRY(statement->reset());
    }
    return transaction->commit();
  }

  void warn(const Error& error) {
    if (m_warned) return;
    m_warned = true;
    m_inv.err << "cmdai: warning: the change was saved but not recorded in the history database: " << error.describe()
              << "\n";
  }

  Invocation& m_inv;
  std::string m_source;
  std::optional<Result<store::Database>> m_db;
  bool m_warned = false;
};

// Publishes the file's change to subscribers; the audit trail is one.
void publish(Invocation& inv, const config::ConfigurationState& before, const std::string& source) {
  config::LiveConfiguration live(before);
  std::vector<config::ConfigChange> changes;
  auto subscription = live.subscribe([&](const config::ConfigChange& change) { changes.push_back(change); });
  live.update(config::load_file_only(inv.env, inv.paths.config_file).state);
  AuditTrail(inv, source).record(changes);
}

// Notes when the environment or command line hides the file's value.
void note_override(Invocation& inv, const std::string& key) {
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  auto it = loaded.origins.find(key);
  if (it != loaded.origins.end() && it->second.origin != config::Origin::file) {
    inv.err << "cmdai: note: " << it->second.where << " overrides " << key << " here\n";
  }
}

ExitCode save_and_publish(Invocation& inv, const config::ConfigDocument& doc, const config::ConfigurationState& before,
                          const std::string& source) {
  if (auto saved = doc.save(inv.env); !saved) return report_error(inv, saved.error());
  publish(inv, before, source);
  return ExitCode::ok;
}

// Nothing is changed when the value is refused; the hint says how to write it.
Error refused(const config::ResolvedKey& key, const Error& error) {
  std::string hint = "nothing was changed";
  if (!error.hint.empty()) hint += "; " + error.hint;
  if (key.spec->type == config::KeyType::list && error.hint.empty()) {
    hint += "; a list is a TOML array such as '[\"a\", \"b\"]', or change one item with --add/--remove";
  }
  return Error{ErrorCode::invalid_argument, key.name + ": " + error.message, hint};
}

std::vector<std::string> flag_values(const Invocation& inv, std::string_view name) {
  auto it = inv.args.flags.find(name);
  return it == inv.args.flags.end() ? std::vector<std::string>{} : it->second;
}

// The value `config set` writes: the one typed, or (--add/--remove) the
// file's list with single items changed; a comma inside an item is part of it.
Result<config::ConfigValue> value_to_set(const Invocation& inv, const config::ResolvedKey& key,
                                         const config::ConfigurationState& before) {
  const auto add = flag_values(inv, "add");
  const auto remove = flag_values(inv, "remove");
  if (add.empty() && remove.empty()) return config::parse_argument(key.spec->type, inv.words[2]);
  if (key.spec->type != config::KeyType::list) {
    return fail(ErrorCode::invalid_argument,
                "--add and --remove change lists; this is a " + std::string(config::to_string(key.spec->type)));
  }
  const auto current = config::get_value(before, key);
  const auto* items = std::get_if<std::vector<std::string>>(&current);
  auto edited = config::edit_list(items ? *items : std::vector<std::string>{}, add, remove);
  if (!edited) return fail(edited.error());
  return config::ConfigValue{std::move(*edited)};
}

ExitCode set(Invocation& inv) {
  const bool editing = inv.args.has("add") || inv.args.has("remove");
  if (inv.words.size() != (editing ? 2u : 3u)) {
    return report_error(inv, Error{ErrorCode::invalid_argument,
                                   editing ? "config set --add/--remove needs a key and no value"
                                           : "config set needs a key and a value",
                                   editing ? "cmdai config set safety.custom_patterns --add '[a-z]{1,3}'"
                                           : "cmdai config set safety.level strict"});
  }
  auto key = config::resolve_key(inv.words[1]);
  if (!key) return report_error(inv, unknown_key(inv.words[1]));
  auto doc = config::ConfigDocument::open(inv.env, inv.paths.config_file);
  if (!doc) return report_error(inv, doc.error());
  const auto before = config::load_file_only(inv.env, inv.paths.config_file).state;
  auto value = value_to_set(inv, *key, before);
  if (!value) return report_error(inv, refused(*key, value.error()));
  config::ConfigurationState next = before;
  config::set_value(next, *key, *value);
  if (auto problem = config::check_value(*key, *value, next)) {
    return report_error(inv, refused(*key, Error{ErrorCode::invalid_argument, *problem, {}}));
  }
  doc->set(*key, *value);
  const ExitCode code = save_and_publish(inv, *doc, before, "config set");
  if (code == ExitCode::ok) note_override(inv, key->name);
  return code;
}

// Also removes what the key table does not know: a whole instance table
// (backend.instances.work) or an unknown key the file carries.
ExitCode unset(Invocation& inv) {
  if (inv.words.size() != 2) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "config unset needs a key", "cmdai config unset KEY"});
  }
  const std::string& name = inv.words[1];
  auto doc = config::ConfigDocument::open(inv.env, inv.paths.config_file);
  if (!doc) return report_error(inv, doc.error());
  const auto before = config::load_file_only(inv.env, inv.paths.config_file).state;
  if (!doc->remove(name)) {
    if (!config::resolve_key(name)) return report_error(inv, unknown_key(name));
    inv.err << "cmdai: " << name << " is not set in " << inv.paths.config_file.string() << "\n";
    return ExitCode::ok;
  }
  return save_and_publish(inv, *doc, before, "config unset");
}

ExitCode reset(Invocation& inv) {
  const auto& path = inv.paths.config_file;
  const auto before = config::load_file_only(inv.env, path).state;
  if (inv.env.file_exists(path)) {
    auto text = inv.env.read_file(path);
    if (!text) return report_error(inv, text.error());
    const std::filesystem::path backup = path.string() + ".bak";
    if (auto kept = inv.env.write_file_atomic(backup, *text); !kept) return report_error(inv, kept.error());
    inv.err << "cmdai: the old configuration is in " << backup.string() << "\n";
  }
  auto fresh = config::ConfigDocument::parse("", path);
  return save_and_publish(inv, *fresh, before, "config reset");
}

ExitCode export_to(Invocation& inv) {
  if (inv.words.size() != 2) {
    return report_error(inv,
                        Error{ErrorCode::invalid_argument, "config export needs a file", "cmdai config export FILE"});
  }
  const auto loaded = load_effective(inv);
  auto doc = config::ConfigDocument::parse("", inv.words[1]);
  doc->set_all(loaded.state);
  if (inv.words[1] == "-") {
    inv.out << doc->to_toml();
    return ExitCode::ok;
  }
  if (auto saved = doc->save(inv.env); !saved) return report_error(inv, saved.error());
  inv.err << "cmdai: wrote " << inv.words[1] << "\n";
  return ExitCode::ok;
}

ExitCode import_from(Invocation& inv) {
  if (inv.words.size() != 2) {
    return report_error(inv,
                        Error{ErrorCode::invalid_argument, "config import needs a file", "cmdai config import FILE"});
  }
  const std::filesystem::path source = inv.words[1];
  if (!inv.env.file_exists(source)) {
    return report_error(inv, Error{ErrorCode::not_found, "no such file: " + source.string(), "check the path"});
  }
  auto text = inv.env.read_file(source);
  if (!text) return report_error(inv, text.error());
  auto incoming = config::ConfigDocument::parse(*text, source);
  if (!incoming) return report_error(inv, incoming.error());
  // Everything is checked before anything is written.
  const auto checked = config::load_file_only(inv.env, source);
  if (!checked.warnings.empty()) {
    for (const auto& warning : checked.warnings) inv.err << "cmdai: " << warning << "\n";
    return report_error(inv, Error{ErrorCode::invalid_argument,
                                   std::to_string(checked.warnings.size()) + " problem(s) in " + source.string(),
                                   "nothing was imported"});
  }
  auto doc = config::ConfigDocument::open(inv.env, inv.paths.config_file);
  if (!doc) return report_error(inv, doc.error());
  const auto before = config::load_file_only(inv.env, inv.paths.config_file).state;
  for (const auto& [name, line] : incoming->keys()) {
    const auto key = config::resolve_key(name);
    doc->set(*key, *incoming->value(*key));
  }
  return save_and_publish(inv, *doc, before, "config import");
}

ExitCode history(Invocation& inv) {
  auto db = store::Database::open(inv.paths.history_db);
  if (!db) return report_error(inv, db.error());
  if (auto migrated = store::migrate(*db); !migrated) return report_error(inv, migrated.error());
  auto statement = db->prepare(
      "SELECT value, last_updated FROM configuration WHERE key LIKE '%@%' ORDER BY last_updated DESC, key DESC");
  if (!statement) return report_error(inv, statement.error());
  nlohmann::json rows = nlohmann::json::array();
  while (true) {
    auto row = statement->step();
    if (!row) return report_error(inv, row.error());
    if (!*row) break;
    auto value = nlohmann::json::parse(statement->column_text(0), nullptr, false);
    if (value.is_discarded() || !value.is_object()) continue;
    value["last_updated"] = statement->column_text(1);
    rows.push_back(std::move(value));
  }
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, rows);
    return ExitCode::ok;
  }
  if (rows.empty()) inv.err << "cmdai: no configuration changes recorded yet\n";
  for (const auto& row : rows) {
    inv.out << row.value("last_updated", "") << "  " << row.value("key", "") << ": " << row.value("old_value", "")
            << " -> " << row.value("new_value", "") << "  (" << row.value("source", "") << ")\n";
  }
  return ExitCode::ok;
}

// --- the editor ------------------------------------------------------------------

std::string_view gate_words(Gate gate) {
  switch (gate) {
    case Gate::run: return "runs without asking";
    case Gate::yes_no: return "asks y/N";
    case Gate::yes_no_warn: return "warns, asks y/N";
    case Gate::phrase: return "asks for the typed phrase";
    case Gate::blocked: return "blocked";
  }
  return "blocked";
}

// The "test a command" box rates with the validator the edited configuration
// builds (its custom patterns) in the context it builds (its safety level),
// and says what the confirmation policy would ask - as `cmdai` itself would.
// The validator is rebuilt only when the patterns change, not on every key.
tui::CommandRater command_rater(Invocation& inv) {
  struct Cache {
    std::vector<std::string> patterns;
    std::optional<safety::Validator> validator;
  };
  auto cache = std::make_shared<Cache>();
  const std::string cwd = inv.env.current_dir();
  return [&env = inv.env, cache, cwd](const std::string& command, const config::ConfigurationState& state) {
    if (!cache->validator || cache->patterns != state.custom_safety_patterns) {
      auto built = pipeline::make_validator(state);
      if (!built) return "validator: " + built.error().message;
      cache->validator = std::move(*built);
      cache->patterns = state.custom_safety_patterns;
    }
    const auto context = pipeline::validation_context(state, env, cwd, ShellType::bash);
    const auto result = cache->validator->validate(command, context);
    std::string line = "validator: " + std::string(to_string(result.risk_level));
    for (const auto& rule : result.patterns_matched) {
      if (rule.starts_with("custom.")) line += " (" + rule + ")";
    }
    line += "; " + std::string(config::to_string(state.safety_level)) + ": " +
            std::string(gate_words(required_gate(result.risk_level, state.safety_level, state.confirmation_required)));
    if (!result.explanation.empty()) line += " - " + result.explanation;
    return line;
  };
}

ExitCode edit(Invocation& inv) {
  // A file that does not parse could not be saved over: say so before the
  // screen is taken over, not after the user has edited.
  if (auto doc = config::ConfigDocument::open(inv.env, inv.paths.config_file); !doc) {
    return report_error(inv, doc.error());
  }
  tui::EditorOptions options;
  options.config_file = inv.paths.config_file;
  options.effective = load_effective(inv);
  options.file_state = config::load_file_only(inv.env, inv.paths.config_file).state;
  options.rate_command = command_rater(inv);
  options.on_saved = [&](const config::ConfigurationState& before) { publish(inv, before, "config edit"); };
  auto edited = tui::run_config_editor(inv.env, std::move(options));
  if (!edited) return report_error(inv, edited.error());
  return ExitCode::ok;
}

ExitCode reference(Invocation& inv) {
  inv.out << (inv.args.has("markdown") ? config::reference_markdown() : config::reference_text());
  return ExitCode::ok;
}

struct ConfigAction {
  std::string_view name;
  ExitCode (*run)(Invocation&);
};

constexpr std::array<ConfigAction, 11> k_actions{{{"show", show},
                                                  {"get", get},
                                                  {"set", set},
                                                  {"unset", unset},
                                                  {"reset", reset},
                                                  {"path", nullptr},
                                                  {"export", export_to},
                                                  {"import", import_from},
                                                  {"history", history},
                                                  {"edit", edit},
                                                  {"reference", reference}}};

}  // namespace

ExitCode save_config_document(Invocation& inv, const config::ConfigDocument& doc,
                              const config::ConfigurationState& before, const std::string& source) {
  return save_and_publish(inv, doc, before, source);
}

ExitCode run_config(Invocation& inv) {
  const std::string action = inv.words.empty() ? "show" : inv.words[0];
  if (action == "path") {
    inv.out << inv.paths.config_file.string() << "\n";
    return ExitCode::ok;
  }
  for (const auto& candidate : k_actions) {
    if (candidate.name == action && candidate.run != nullptr) return candidate.run(inv);
  }
  std::vector<std::string> names;
  for (const auto& candidate : k_actions) names.emplace_back(candidate.name);
  auto near = closest(action, names);
  return report_error(inv, Error{ErrorCode::invalid_argument, "unknown config command '" + action + "'",
                                 near ? "did you mean '" + *near + "'?"
                                      : "use: cmdai config show|get|set|unset|reset|path|export|import|history|edit"});
}

}  // namespace cmdai::cli
