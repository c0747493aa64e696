#include "safety/call.h"

#include "core/shell_quote.h"

#include <algorithm>
#include <unordered_map>

namespace cmdai::safety {

ArgView::ArgView(const std::vector<Arg>& args, std::string_view short_with_value,
                 std::initializer_list<std::string_view> long_with_value) {
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i].text;
    if (options_done || a.size() < 2 || a[0] != '-') {
      m_operands.push_back(&args[i]);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a[1] == '-') {
      const auto eq = a.find('=');
      std::string name = a.substr(0, eq);
      const bool takes = std::find(long_with_value.begin(), long_with_value.end(), name) != long_with_value.end();
      if (eq != std::string::npos) {
        m_values.emplace_back(name, a.substr(eq + 1));
      } else if (takes && i + 1 < args.size()) {
        m_values.emplace_back(name, args[++i].text);
      }
      m_long.push_back(std::move(name));
      continue;
    }
    for (std::size_t j = 1; j < a.size(); ++j) {
      const char c = a[j];
      m_short[static_cast<unsigned char>(c)] = true;
      if (short_with_value.find(c) == std::string_view::npos) continue;
      if (j + 1 < a.size()) {
        m_values.emplace_back(std::string(1, c), a.substr(j + 1));
      } else if (i + 1 < args.size()) {
        m_values.emplace_back(std::string(1, c), args[++i].text);
      }
      break;
    }
  }
}

bool ArgView::has(std::string_view long_flag) const {
  return std::find(m_long.begin(), m_long.end(), long_flag) != m_long.end();
}

std::optional<std::string> ArgView::value(char short_flag) const { return value(std::string_view(&short_flag, 1)); }

std::optional<std::string> ArgView::value(std::string_view flag) const {
  for (const auto& [name, v] : m_values) {
    if (name == flag) return v;
  }
  return std::nullopt;
}

Analyzer find_analyzer(std::string_view program) {
  static const auto* const table = [] {
    auto* map = new std::unordered_map<std::string_view, Analyzer>();
    for (auto group : {file_analyzers(), system_analyzers(), tool_analyzers(), service_analyzers(), flow_analyzers(),
                       archive_analyzers(), state_analyzers()}) {
      for (const auto& entry : group) map->emplace(entry.program, entry.analyzer);
    }
    return map;
  }();
  if (auto it = table->find(program); it != table->end()) return it->second;
  if (program.starts_with("mkfs") || program.starts_with("mke2fs") || program.starts_with("mkswap")) {
    return table->at("mkfs");
  }
  if (program.starts_with("python") || program.starts_with("pypy")) return table->at("python");
  return nullptr;
}

std::string program_name(std::string_view word) {
  const auto slash = word.find_last_of('/');
  return std::string(slash == std::string_view::npos ? word : word.substr(slash + 1));
}

void set_program(Call& call, std::string_view word) {
  call.program = program_name(word);
  call.written_as_path = word.find('/') != std::string_view::npos;
}

ResolvedPath resolve(const Arg& arg, const ValidationContext& context) {
  const bool glob = arg.word == nullptr || arg.word->has_glob || arg.word->has_parameter;
  return resolve_path(arg.value, arg.dynamic, context, glob);
}

std::string quote_arg(std::string_view text) {
  if (text == "~" || text.starts_with("~/")) return shell_quote_path(text);
  return shell_quote(text);
}

std::string join_args(const Call& call, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < call.args.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += quote_arg(call.args[i].text);
  }
  return out;
}

bool is_shell_program(std::string_view p) {
  return p == "sh" || p == "bash" || p == "zsh" || p == "dash" || p == "ksh" || p == "ash" || p == "mksh" ||
         p == "fish" || p == "csh" || p == "tcsh" || p == "busybox-sh";
}

std::string_view rule_for_destroying(const ResolvedPath& path, const ValidationContext& context) {
  switch (role_of(path, context)) {
    case PathRole::credential: return "files.destroy_credential";
    case PathRole::history: return "files.erase_history";
    case PathRole::none: break;
  }
  return {};
}

// Files an extra line can only extend (name lookup), unlike accounts, sudo
// rules or PAM, where one line grants access.
bool appending_is_bounded(std::string_view path) { return path == "/etc/hosts" || path == "/etc/resolv.conf"; }

std::string_view rule_for_write(const ResolvedPath& path, bool append, const ValidationContext& context) {
  if (path.scope == Scope::null_device || path.scope == Scope::unknown) return {};
  if (path.scope == Scope::disk_device) return "redirect.device";
  if (path.path == "/proc/sysrq-trigger") return "redirect.sysrq";
  if (const auto rule = rule_for_destroying(path, context); !append && !rule.empty()) return rule;
  const std::string home =
      context.home_directory.ends_with('/') ? context.home_directory : context.home_directory + "/";
  switch (persistence_kind(path, context)) {
    case PersistenceKind::sudoers: return "sudoers.write";
    case PersistenceKind::preload: return "persist.preload";
    case PersistenceKind::authorized_keys:
      return path.path.starts_with(home) ? "persist.authorized_keys" : "persist.authorized_keys_other";
    case PersistenceKind::scheduler: return "persist.system";
    case PersistenceKind::shell_rc: return append ? "persist.shell_rc" : "persist.shell_rc_replace";
    case PersistenceKind::none: break;
  }
  if (path.scope == Scope::critical_file && append && appending_is_bounded(path.path)) return "redirect.system";
  if (path.scope == Scope::critical_file) return "redirect.critical";
  if (path.scope == Scope::system || path.scope == Scope::system_inner || path.scope == Scope::root) {
    return "redirect.system";
  }
  return "redirect.write";
}

bool asks_for_help(const Call& call) {
  for (const auto& a : call.args) {
    if (a.text == "--") return false;
    if (a.text == "--help" || a.text == "-help" || a.text == "--version") return true;
  }
  return false;
}

}  // namespace cmdai::safety
