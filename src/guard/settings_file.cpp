#include "guard/settings_file.h"

#include <array>
#include <nlohmann/json.hpp>

namespace cmdai::guard {
namespace {

using Json = nlohmann::ordered_json;

// Where each agent keeps its hooks and what one hook entry looks like.
struct HookLayout {
  std::string_view agent;
  std::string_view project_file;  // relative to the project directory
  std::string_view user_file;     // relative to the home directory
  std::string_view event_key;     // under "hooks"
  std::string_view matcher;       // entries grouped under {"matcher", "hooks"}; "" for a flat list
  std::string_view command_key;   // the entry field holding the command
  bool versioned = false;         // the file carries "version": 1
  std::string_view fields;        // the entry's other fields, as JSON
  std::string_view note;          // what to know about this agent's hooks
};

// Claude Code: a hook that cannot start or times out blocks (onFailure).
constexpr std::array<HookLayout, 5> k_layouts{{
    {"claude-code", ".claude/settings.json", ".claude/settings.json", "PreToolUse", "Bash", "command", false,
     R"({"type": "command", "timeout": 10, "onFailure": "block"})",
     "onFailure: block makes Claude Code block a command when the hook cannot start or times out, where it supports "
     "that setting"},
    {"gemini-cli", ".gemini/settings.json", ".gemini/settings.json", "BeforeTool", "run_shell_command", "command",
     false, R"({"type": "command", "name": "cmdai-guard", "timeout": 10000})", ""},
    {"cursor", ".cursor/hooks.json", ".cursor/hooks.json", "beforeShellExecution", "", "command", true, "{}",
     "not every Cursor run mode honours \"ask\"; what cmdai denies never runs"},
    {"copilot-cli", ".github/hooks/cmdai.json", ".copilot/hooks/cmdai.json", "preToolUse", "", "bash", true,
     R"({"type": "command", "timeoutSec": 10})",
     "Copilot CLI reads .github/hooks/*.json of the directory it starts in"},
    {"codex", ".codex/hooks.json", ".codex/hooks.json", "PreToolUse", "Bash", "command", false,
     R"({"type": "command", "timeout": 10})",
     "Codex loads a project's .codex/hooks.json only in a trusted project, and its hooks cannot ask: cmdai denies "
     "what it would ask about"},
}};

const HookLayout& layout_of(const Protocol& protocol) {
  for (const auto& layout : k_layouts) {
    if (layout.agent == protocol.name) return layout;
  }
  return k_layouts.front();  // unreachable: every protocol has a layout (tested)
}

bool is_ours(const HookLayout& layout, const Json& entry) {
  const std::string key(layout.command_key);
  if (!entry.is_object() || !entry.contains(key) || !entry[key].is_string()) return false;
  const auto command = entry[key].get<std::string>();
  return command.find("cmdai") != std::string::npos && command.ends_with(" guard " + std::string(layout.agent));
}

// Removes cmdai's entries from a list of entries (flat) or of matcher
// groups; groups left empty by that go too. True when something was removed.
bool strip_ours(const HookLayout& layout, Json& list) {
  bool removed = false;
  for (auto it = list.begin(); it != list.end();) {
    if (!layout.matcher.empty() && it->is_object() && it->contains("hooks") && (*it)["hooks"].is_array()) {
      if (strip_ours(HookLayout{layout.agent, {}, {}, {}, {}, layout.command_key, false, {}, {}}, (*it)["hooks"])) {
        removed = true;
        if ((*it)["hooks"].empty()) {
          it = list.erase(it);
          continue;
        }
      }
    } else if (is_ours(layout, *it)) {
      removed = true;
      it = list.erase(it);
      continue;
    }
    ++it;
  }
  return removed;
}

Json our_entry(const HookLayout& layout, const std::string& command) {
  Json entry = Json::parse(layout.fields);
  Json hook;
  if (entry.contains("type")) hook["type"] = entry["type"];
  hook[std::string(layout.command_key)] = command;
  for (const auto& item : entry.items()) {
    if (item.key() != "type") hook[item.key()] = item.value();
  }
  if (layout.matcher.empty()) return hook;
  return Json{{"matcher", std::string(layout.matcher)}, {"hooks", Json::array({hook})}};
}

// A settings file as found: its text and its JSON (nullopt when there is no file).
struct Settings {
  std::optional<Json> doc;
  std::string text;
};

Result<Settings> read_settings(const Env& env, const std::filesystem::path& file) {
  if (!env.file_exists(file)) return Settings{};
  auto text = env.read_file(file);
  if (!text) return fail(text.error());
  Json doc = Json::parse(*text, nullptr, false, /*ignore_comments=*/true);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail(ErrorCode::invalid_argument, file.string() + " is not a JSON object; cmdai left it as it is",
                "fix the file (or move it away) and run the command again");
  }
  return Settings{std::move(doc), std::move(*text)};
}

// The event's entry list, created when asked to.
Json* event_list(const HookLayout& layout, Json& doc, bool create) {
  if (!doc.contains("hooks") || !doc["hooks"].is_object()) {
    if (!create) return nullptr;
    doc["hooks"] = Json::object();
  }
  Json& hooks = doc["hooks"];
  const std::string key(layout.event_key);
  if (!hooks.contains(key) || !hooks[key].is_array()) {
    if (!create) return nullptr;
    hooks[key] = Json::array();
  }
  return &hooks[key];
}

Result<SettingsChange> write_settings(Env& env, const std::filesystem::path& file, const Json& doc, bool existed,
                                      const std::string& original) {
  SettingsChange change{file, true, std::nullopt, false};
  const std::filesystem::path backup = file.string() + std::string(k_backup_suffix);
  if (existed && !env.file_exists(backup)) {
    CMDAI_TRY(env.write_file_atomic(backup, original));
    change.backup = backup;
  }
  CMDAI_TRY(env.write_file_atomic(file, doc.dump(2) + "\n"));
  return change;
}

}  // namespace

std::string_view install_note(const Protocol& protocol) { return layout_of(protocol).note; }

std::string_view to_string(Scope scope) { return scope == Scope::project ? "project" : "user"; }

std::filesystem::path settings_path(const Protocol& protocol, Scope scope, const std::filesystem::path& project_dir,
                                    const std::filesystem::path& home) {
  const auto& layout = layout_of(protocol);
  return scope == Scope::project ? project_dir / layout.project_file : home / layout.user_file;
}

Result<SettingsChange> install_hook(Env& env, const Protocol& protocol, const std::filesystem::path& file,
                                    const std::string& command) {
  const auto& layout = layout_of(protocol);
  auto read = read_settings(env, file);
  if (!read) return fail(read.error());
  const bool existed = read->doc.has_value();
  const Json before = existed ? *read->doc : Json::object();
  Json doc = before;
  if (layout.versioned && !doc.contains("version")) doc["version"] = 1;
  Json* list = event_list(layout, doc, true);
  strip_ours(layout, *list);
  list->push_back(our_entry(layout, command));
  if (existed && doc == before) return SettingsChange{file, false, std::nullopt, false};
  return write_settings(env, file, doc, existed, read->text);
}

Result<SettingsChange> uninstall_hook(Env& env, const Protocol& protocol, const std::filesystem::path& file) {
  const auto& layout = layout_of(protocol);
  auto read = read_settings(env, file);
  if (!read) return fail(read.error());
  if (!read->doc) return SettingsChange{file, false, std::nullopt, false};
  Json doc = *read->doc;
  Json* list = event_list(layout, doc, false);
  if (list == nullptr || !strip_ours(layout, *list)) return SettingsChange{file, false, std::nullopt, false};
  if (list->empty()) doc["hooks"].erase(std::string(layout.event_key));
  if (doc["hooks"].empty()) doc.erase("hooks");
  const bool created_by_us = !env.file_exists(file.string() + std::string(k_backup_suffix));
  if (created_by_us && (doc.empty() || (layout.versioned && doc.size() == 1 && doc.contains("version")))) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) return fail(posix_error("removing " + file.string(), ec.value()));
    return SettingsChange{file, true, std::nullopt, true};
  }
  CMDAI_TRY(env.write_file_atomic(file, doc.dump(2) + "\n"));
  return SettingsChange{file, true, std::nullopt, false};
}

Result<std::vector<std::string>> installed_hooks(const Env& env, const Protocol& protocol,
                                                 const std::filesystem::path& file) {
  const auto& layout = layout_of(protocol);
  auto read = read_settings(env, file);
  if (!read) return fail(read.error());
  std::vector<std::string> commands;
  if (!read->doc) return commands;
  Json doc = *read->doc;
  const Json* list = event_list(layout, doc, false);
  if (list == nullptr) return commands;
  for (const auto& item : *list) {
    const bool grouped = !layout.matcher.empty() && item.is_object() && item.contains("hooks");
    for (const auto& entry : grouped ? item["hooks"] : Json::array({item})) {
      if (is_ours(layout, entry)) commands.push_back(entry[std::string(layout.command_key)].get<std::string>());
    }
  }
  return commands;
}

}  // namespace cmdai::guard
