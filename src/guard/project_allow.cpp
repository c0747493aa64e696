#include "guard/project_allow.h"

#include <re2/re2.h>

#include <toml++/toml.h>

namespace cmdai::guard {
namespace {

constexpr int k_max_levels_up = 64;

Error bad_entry(const std::filesystem::path& file, int line, const std::string& what) {
  return Error{ErrorCode::invalid_argument, file.string() + ":" + std::to_string(line) + ": " + what,
               "each [[allow]] has one of command, pattern or rule, and a reason"};
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

Result<AllowEntry> read_entry(const toml::table& table, const std::filesystem::path& file) {
  AllowEntry entry;
  entry.line = static_cast<int>(table.source().begin.line);
  int kinds = 0;
  for (const auto& [key, node] : table) {
    const auto text = node.value<std::string>();
    if (!text) return fail(bad_entry(file, entry.line, "'" + std::string(key.str()) + "' must be a string"));
    if (key == "reason") {
      entry.reason = *text;
      continue;
    }
    if (key == "command") {
      entry.kind = AllowEntry::Kind::command;
    } else if (key == "pattern") {
      entry.kind = AllowEntry::Kind::pattern;
    } else if (key == "rule") {
      entry.kind = AllowEntry::Kind::rule;
    } else {
      return fail(bad_entry(file, entry.line, "unknown key '" + std::string(key.str()) + "'"));
    }
    entry.value = *text;
    ++kinds;
  }
  if (kinds != 1) return fail(bad_entry(file, entry.line, "an allow needs exactly one of command, pattern or rule"));
  if (trimmed(entry.reason).empty()) return fail(bad_entry(file, entry.line, "an allow needs a reason"));
  if (trimmed(entry.value).empty()) return fail(bad_entry(file, entry.line, "an allow cannot be empty"));
  if (entry.kind == AllowEntry::Kind::pattern) {
    RE2::Options options;
    options.set_log_errors(false);
    auto regex = std::make_shared<const RE2>(entry.value, options);
    if (!regex->ok()) return fail(bad_entry(file, entry.line, "pattern is not a valid RE2 regex: " + regex->error()));
    entry.regex = std::move(regex);
  }
  return entry;
}

}  // namespace

Result<AllowList> parse_allow_file(std::string_view text, const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& error) {
    return fail(
        ErrorCode::invalid_argument,
        file.string() + ":" + std::to_string(error.source().begin.line) + ": " + std::string(error.description()),
        "fix the TOML; until then cmdai guard ignores the file's allows");
  }
  AllowList list;
  list.file = file;
  for (const auto& [key, node] : root) {
    if (key != "allow" || !node.is_array_of_tables()) {
      return fail(bad_entry(file, static_cast<int>(node.source().begin.line),
                            "unknown entry '" + std::string(key.str()) + "' (write [[allow]] tables)"));
    }
    for (const auto& item : *node.as_array()) {
      auto entry = read_entry(*item.as_table(), file);
      if (!entry) return fail(entry.error());
      list.entries.push_back(std::move(*entry));
    }
  }
  return list;
}

Result<AllowList> load_allow_list(const Env& env, const std::filesystem::path& dir) {
  std::filesystem::path at = dir;
  for (int up = 0; up < k_max_levels_up && !at.empty(); ++up) {
    const auto file = at / k_allow_file;
    if (env.file_exists(file)) {
      auto text = env.read_file(file);
      if (!text) return fail(text.error());
      return parse_allow_file(*text, file);
    }
    if (at == at.parent_path()) break;
    at = at.parent_path();
  }
  return AllowList{};
}

const AllowEntry* allowing_command(const AllowList& list, std::string_view command) {
  const std::string text(trimmed(command));
  for (const auto& entry : list.entries) {
    if (entry.kind == AllowEntry::Kind::command && std::string(trimmed(entry.value)) == text) return &entry;
    if (entry.kind == AllowEntry::Kind::pattern && RE2::FullMatch(text, *entry.regex)) return &entry;
  }
  return nullptr;
}

const AllowEntry* allowing_rule(const AllowList& list, std::string_view rule_id) {
  for (const auto& entry : list.entries) {
    if (entry.kind == AllowEntry::Kind::rule && entry.value == rule_id) return &entry;
  }
  return nullptr;
}

}  // namespace cmdai::guard
