// rm, rmdir, unlink, find, mv, cp, ln, truncate, shred, tee, chmod, chown,
// chgrp, chattr: rated by their flags and where their targets resolve.

#include <algorithm>

#include "safety/call.h"

namespace cmdai::safety {
namespace {

std::string describe(const ResolvedPath& p) { return "target resolves to " + p.path + (p.whole_contents ? "/*" : ""); }

std::string trash_alternative(const Call& call, const ArgView& view) {
  std::string out = "gio trash --";
  for (const Arg* a : view.operands()) out += " " + quote_arg(a->text);
  (void)call;
  return out;
}

// "${DIR:?}/build": the shell stops before rm runs when DIR is empty or
// unset, so the path never collapses to "/build" or "/".
bool guarded_by_variable(const Arg& a) {
  if (!a.dynamic || !a.text.starts_with("${")) return false;
  const auto close = a.text.find('}');
  const auto guard = a.text.find(":?");
  return close != std::string::npos && guard != std::string::npos && guard < close;
}

// The working directory itself ("rm -rf *", "find . -delete"): rated by
// where the command runs, so the rating names it when that lowered it.
bool is_working_directory(const ResolvedPath& p, const ValidationContext& context) {
  return !is_catastrophic(p.scope) && p.scope != Scope::system_inner &&
         p.path == resolve_path(".", false, context).path;
}

void analyze_rm(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args);
  const bool recursive = view.has('r') || view.has('R') || view.has("--recursive");
  const bool interactive = view.has('i') || view.has("--interactive");
  const auto& context = sink.context();
  if (view.has("--no-preserve-root")) return sink.add("rm.recursive_system", call, "--no-preserve-root");
  if (recursive && call.operands_from_stdin) facts.deletes_listed = true;
  if (view.operands().empty()) {
    if (recursive && call.operands_from_stdin)
      sink.add("rm.recursive", call, "targets come from the input");
    else if (call.operands_from_stdin)
      sink.add("rm.files", call, "targets come from the input");
    return;
  }
  std::string_view worst = recursive ? (interactive ? "rm.interactive" : "rm.recursive") : "rm.files";
  std::string signal;
  for (const Arg* a : view.operands()) {
    const auto p = resolve(*a, context);
    if (recursive && guarded_by_variable(*a)) {
      auto unguarded = rule_for_destroying(p, context);
      if (unguarded.empty() && is_catastrophic(p.scope)) unguarded = "rm.recursive_system";
      sink.lower("lowered.guarded_variable", call,
                 "'" + a->text + "'" + (unguarded.empty() ? "" : " would otherwise be rated as " + p.path), unguarded);
      continue;
    }
    if (const auto rule = rule_for_destroying(p, context); !rule.empty()) return sink.add(rule, call, describe(p));
    if (recursive && is_working_directory(p, context)) sink.lower("lowered.working_directory", call, describe(p));
    if (p.scope == Scope::unknown) {
      if (recursive) {
        worst = "rm.dynamic_target";
        signal = "target '" + a->text + "' may be empty";
      }
      continue;
    }
    if (recursive && is_catastrophic(p.scope)) return sink.add("rm.recursive_system", call, describe(p));
    if (p.scope == Scope::critical_file || (p.scope == Scope::disk_device)) {
      return sink.add("rm.system_file", call, describe(p));
    }
    if (p.scope == Scope::root || p.scope == Scope::system || p.scope == Scope::system_inner ||
        p.scope == Scope::sensitive || (p.whole_contents && (p.scope == Scope::home))) {
      worst = "rm.system_inner";
      signal = describe(p);
    }
  }
  if (worst == "rm.recursive" || worst == "rm.system_inner" || worst == "rm.dynamic_target") {
    return sink.add(worst, call, signal, trash_alternative(call, view));
  }
  sink.add(worst, call, signal);
}

void analyze_rmdir(const Call& call, Sink& sink, Facts&) { sink.add("rmdir.dirs", call); }

std::vector<std::string> find_roots(const Call& call) {
  std::vector<std::string> roots;
  for (const auto& a : call.args) {
    if (a.text.empty() || a.text[0] == '-' || a.text == "(" || a.text == "!") break;
    roots.push_back(a.value);
  }
  if (roots.empty()) roots.push_back(".");
  return roots;
}

void analyze_find(const Call& call, Sink& sink, Facts& facts) {
  const auto roots = find_roots(call);
  bool filtered = false;  // some test picks files: -exec gets "found" paths, not the root
  bool narrowed = false;  // a test that picks by name, age, size or owner (-type f still takes every file)
  bool acts = false;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if (a == "-name" || a == "-iname" || a == "-type" || a == "-mtime" || a == "-path" || a == "-size" ||
        a == "-newer" || a == "-regex" || a == "-user" || a == "-empty" || a == "-mmin" || a == "-perm") {
      filtered = true;
      narrowed = narrowed || a != "-type";
    }
    if (a == "-delete") {
      acts = true;
      for (const auto& root : roots) {
        const auto p = resolve_path(root, false, sink.context());
        if ((!narrowed && is_catastrophic(p.scope)) || p.scope == Scope::critical_file) {
          return sink.add("find.delete_system", call, describe(p));
        }
      }
      std::string alt = "find";
      for (std::size_t j = 0; j < call.args.size(); ++j) {
        if (j != i) alt += " " + quote_arg(call.args[j].text);
      }
      sink.add("find.delete", call, {}, alt + " -print");
      const auto start = resolve_path(roots.front(), false, sink.context());
      if (!narrowed && is_working_directory(start, sink.context())) {
        sink.lower("lowered.find_working_directory", call, describe(start));
      }
      continue;
    }
    if (a != "-exec" && a != "-execdir" && a != "-ok" && a != "-okdir") continue;
    acts = true;
    std::vector<Arg> inner;
    for (++i; i < call.args.size() && call.args[i].text != ";" && call.args[i].text != "+"; ++i) {
      Arg arg = call.args[i];
      if (arg.text.find("{}") != std::string::npos) {
        const std::string target = filtered ? roots.front() + "/found" : roots.front();
        arg.text = arg.value = target;
        arg.word = nullptr;
      }
      inner.push_back(std::move(arg));
    }
    if (!inner.empty()) sink.run_argv(std::move(inner), call, false);
  }
  if (!acts && !narrowed) facts.listed = resolve_path(roots.front(), false, sink.context()).scope;
}

void analyze_move(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "tS", {"--target-directory", "--suffix"});
  const auto& ops = view.operands();
  const auto& context = sink.context();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto p = resolve(*ops[i], context);
    const bool source = i + 1 < ops.size();
    if (source && (p.scope == Scope::root || p.scope == Scope::system || p.scope == Scope::home ||
                   p.scope == Scope::sensitive || p.scope == Scope::critical_file)) {
      return sink.add("files.move_system", call, describe(p));
    }
    if (!source && p.path == "/dev/null") return sink.add("files.to_null", call, describe(p));
    if (const auto rule = rule_for_destroying(p, context); !rule.empty()) return sink.add(rule, call, describe(p));
    if (!source && p.scope == Scope::critical_file) return sink.add("files.overwrite_critical", call, describe(p));
    if (p.scope == Scope::system_inner || p.scope == Scope::system) {
      return sink.add("files.overwrite_system", call, describe(p));
    }
  }
  sink.add("files.move", call);
}

void analyze_copy_like(const Call& call, Sink& sink, std::string_view base_rule) {
  const ArgView view(call.args, "tS", {"--target-directory", "--suffix"});
  const auto& ops = view.operands();
  if (ops.empty()) return;
  const auto p = resolve(*view.operands().back(), sink.context());
  if (auto t = view.value('t')) {
    const auto dir = resolve_path(*t, false, sink.context());
    if (dir.scope == Scope::system || dir.scope == Scope::system_inner) {
      return sink.add("files.overwrite_system", call, describe(dir));
    }
  }
  if (ops.size() >= 2 || base_rule == "files.link") {
    if (const auto rule = rule_for_destroying(p, sink.context()); !rule.empty()) {
      return sink.add(rule, call, describe(p));
    }
    if (p.scope == Scope::disk_device) return sink.add("disk.raw_write", call, describe(p));
    if (p.scope == Scope::critical_file) return sink.add("files.overwrite_critical", call, describe(p));
    if (p.scope == Scope::system || p.scope == Scope::system_inner) {
      return sink.add("files.overwrite_system", call, describe(p));
    }
  }
  sink.add(base_rule, call);
}

void analyze_cp(const Call& call, Sink& sink, Facts&) { analyze_copy_like(call, sink, "files.copy"); }
void analyze_ln(const Call& call, Sink& sink, Facts&) { analyze_copy_like(call, sink, "files.link"); }

void analyze_truncate(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "sr", {"--size", "--reference"});
  const auto size = view.value('s').value_or(view.value("--size").value_or(""));
  const bool shrinks = size == "0" || size.starts_with("-") || size.starts_with("<") || size.starts_with("/");
  for (const Arg* a : view.operands()) {
    const auto p = resolve(*a, sink.context());
    if (const auto rule = rule_for_destroying(p, sink.context()); shrinks && !rule.empty()) {
      return sink.add(rule, call, describe(p));
    }
    if (p.scope == Scope::critical_file || p.scope == Scope::disk_device) {
      return sink.add("files.overwrite_critical", call, describe(p));
    }
  }
  sink.add(shrinks ? "files.truncate" : "files.copy", call);
}

void analyze_shred(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "nsx", {"--iterations", "--size", "--random-source"});
  for (const Arg* a : view.operands()) {
    const auto p = resolve(*a, sink.context());
    if (p.scope == Scope::disk_device) return sink.add("disk.raw_write", call, describe(p));
    if (p.scope == Scope::critical_file) return sink.add("files.overwrite_critical", call, describe(p));
    if (const auto rule = rule_for_destroying(p, sink.context()); !rule.empty()) {
      return sink.add(rule, call, describe(p));
    }
  }
  sink.add("files.shred", call);
}

void analyze_tee(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args);
  const bool append = view.has('a', "--append");
  for (const Arg* a : view.operands()) {
    const auto p = resolve(*a, sink.context());
    const std::string_view rule = rule_for_write(p, append, sink.context());
    if (rule.empty()) continue;
    if (persistence_kind(p, sink.context()) == PersistenceKind::shell_rc) facts.persists_rc = true;
    sink.add(rule, call, rule == "redirect.write" ? std::string() : describe(p));
  }
}

bool is_setuid_mode(std::string_view mode) {
  if (mode.find("+s") != std::string_view::npos || mode.find("u+s") != std::string_view::npos) return true;
  const bool numeric =
      !mode.empty() && std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; });
  return numeric && mode.size() == 4 && (mode[0] == '4' || mode[0] == '2' || mode[0] == '6');
}

bool is_world_writable(std::string_view mode) {
  const bool numeric =
      !mode.empty() && std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; });
  if (numeric) {
    const char others = mode.back();
    return others == '2' || others == '3' || others == '6' || others == '7';
  }
  return mode.find("o+w") != std::string_view::npos || mode.find("a+w") != std::string_view::npos ||
         mode.find("+rwx") != std::string_view::npos || mode == "+w" || mode == "777";
}

// The mode gives group or others any access (644, o+r, a+rw ...).
bool opens_to_others(std::string_view mode) {
  const bool numeric =
      !mode.empty() && std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; });
  if (numeric) return mode.size() >= 2 && (mode[mode.size() - 1] != '0' || mode[mode.size() - 2] != '0');
  return mode.find("o+") != std::string_view::npos || mode.find("a+") != std::string_view::npos ||
         mode.find("g+") != std::string_view::npos ||
         (mode.starts_with("+") && mode.find('x') == std::string_view::npos);
}

}  // namespace

bool is_interpreter_path(std::string_view path) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  return is_shell_program(name) || name.starts_with("python") || name == "perl" || name == "ruby" || name == "node" ||
         name == "find" || name == "vim" || name == "vi" || name == "less" || name == "env" || name == "awk" ||
         name == "php" || name == "cp" || name == "tar";
}

namespace {

void analyze_permissions(const Call& call, Sink& sink, bool is_chmod) {
  const ArgView view(call.args, "", {"--reference"});
  const bool recursive = view.has('R') || view.has("--recursive");
  const auto& ops = view.operands();
  if (ops.empty()) return sink.add("perm.change", call);
  const std::string mode = is_chmod ? ops.front()->text : "";
  const std::size_t first_target = (is_chmod || !view.has("--reference")) ? 1 : 0;
  for (std::size_t i = first_target; i < ops.size(); ++i) {
    const auto p = resolve(*ops[i], sink.context());
    if (is_chmod && is_setuid_mode(mode)) {
      return sink.add(is_interpreter_path(p.path) ? "perm.setuid_shell" : "perm.setuid", call, describe(p));
    }
    if (recursive && (is_catastrophic(p.scope))) return sink.add("perm.recursive_system", call, describe(p));
    if (is_chmod && opens_to_others(mode) && is_secret_path(p, sink.context())) {
      return sink.add("perm.expose_secret", call, describe(p));
    }
    if (is_chmod && p.scope == Scope::sensitive && !opens_to_others(mode)) return sink.add("perm.change", call);
    if (p.scope == Scope::root || p.scope == Scope::system || p.scope == Scope::system_inner ||
        p.scope == Scope::critical_file || p.scope == Scope::sensitive) {
      return sink.add("perm.system", call, describe(p));
    }
    if (recursive && is_chmod && is_world_writable(mode)) return sink.add("perm.recursive_world", call, describe(p));
  }
  sink.add("perm.change", call);
}

void analyze_chmod(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args);
  if (!view.operands().empty() && view.operands().front()->text.find("+x") != std::string::npos) {
    for (std::size_t i = 1; i < view.operands().size(); ++i) facts.made_executable.push_back(view.operands()[i]->value);
  }
  analyze_permissions(call, sink, true);
}

void analyze_chown(const Call& call, Sink& sink, Facts&) { analyze_permissions(call, sink, false); }

void analyze_chattr(const Call& call, Sink& sink, Facts&) {
  for (const auto& a : call.args) {
    if (a.text.starts_with("-") && a.text.size() > 1 && a.text[1] != 'i' && a.text[1] != 'a') continue;
    const auto p = resolve(a, sink.context());
    if (p.scope == Scope::system || p.scope == Scope::system_inner || p.scope == Scope::critical_file ||
        p.scope == Scope::root) {
      return sink.add("perm.immutable_system", call, describe(p));
    }
  }
  sink.add("perm.immutable", call);
}

void analyze_sed(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "ef", {"--expression", "--file"});
  const bool in_place =
      view.has('i') || view.has("--in-place") || std::any_of(call.args.begin(), call.args.end(), [](const Arg& a) {
        return a.text.starts_with("-i") || a.text.starts_with("--in-place=");
      });
  if (!in_place) return;
  for (const Arg* a : view.operands()) {
    const auto p = resolve(*a, sink.context());
    if (p.scope == Scope::critical_file) return sink.add("files.overwrite_critical", call, describe(p));
    if (p.scope == Scope::system || p.scope == Scope::system_inner)
      return sink.add("files.overwrite_system", call, describe(p));
  }
  sink.add("files.edit_in_place", call);
}

constexpr AnalyzerEntry k_entries[] = {
    {"sed", analyze_sed},     {"rm", analyze_rm},
    {"unlink", analyze_rm},   {"rmdir", analyze_rmdir},
    {"find", analyze_find},   {"mv", analyze_move},
    {"cp", analyze_cp},       {"install", analyze_cp},
    {"ln", analyze_ln},       {"truncate", analyze_truncate},
    {"shred", analyze_shred}, {"tee", analyze_tee},
    {"chmod", analyze_chmod}, {"chown", analyze_chown},
    {"chgrp", analyze_chown}, {"chattr", analyze_chattr},
};

}  // namespace

std::span<const AnalyzerEntry> file_analyzers() { return k_entries; }

}  // namespace cmdai::safety
