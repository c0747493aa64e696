// git, package managers and publishing.

#include <algorithm>

#include "core/utf8.h"
#include "safety/call.h"

namespace cmdai::safety {
namespace {

bool is_protected(std::string_view branch, const ValidationContext& context) {
  const auto colon = branch.rfind(':');
  if (colon != std::string_view::npos) branch = branch.substr(colon + 1);
  if (branch.starts_with("+")) branch.remove_prefix(1);
  if (branch.starts_with("refs/heads/")) branch.remove_prefix(11);
  return std::any_of(context.protected_branches.begin(), context.protected_branches.end(),
                     [&](const std::string& p) { return branch == p; });
}

std::string branch_signal(const std::vector<const Arg*>& refs, const ValidationContext& context) {
  for (const Arg* r : refs) {
    if (is_protected(r->text, context)) return "targets protected branch " + r->text;
  }
  if (refs.empty() && !context.git_branch.empty() && is_protected(context.git_branch, context)) {
    return "on protected branch " + context.git_branch;
  }
  return {};
}

void git_push(const Call& call, const std::vector<Arg>& args, Sink& sink) {
  const ArgView view(args, "o", {"--repo", "--push-option", "--receive-pack"});
  if (view.has('n') || view.has("--dry-run")) return;
  std::vector<const Arg*> refs(view.operands().begin() + std::min<std::size_t>(1, view.operands().size()),
                               view.operands().end());
  std::string signal = branch_signal(refs, sink.context());
  if (signal.empty() && refs.empty() && is_protected(sink.context().git_branch, sink.context())) {
    signal = "on protected branch " + sink.context().git_branch;
  }
  const bool lease = std::any_of(args.begin(), args.end(), [](const Arg& a) {
    return a.text.starts_with("--force-with-lease") || a.text == "--force-if-includes";
  });
  const bool force = view.has('f') || view.has("--force") ||
                     std::any_of(refs.begin(), refs.end(), [](const Arg* r) { return r->text.starts_with("+"); });
  const bool deletes = view.has('d') || view.has("--delete") ||
                       std::any_of(refs.begin(), refs.end(), [](const Arg* r) { return r->text.starts_with(":"); });
  if (view.has("--mirror") || (force && !lease)) {
    std::string alt = "git push --force-with-lease";
    for (const Arg* o : view.operands()) alt += " " + quote_arg(o->text);
    return sink.add("git.force_push", call, signal, alt);
  }
  if (deletes) return sink.add("git.delete_remote_branch", call, signal);
  sink.add(lease ? "git.force_push_lease" : "git.publish", call, signal);
}

void git_reset_like(const Call& call, const std::string& verb, const std::vector<Arg>& args, Sink& sink) {
  const ArgView view(args);
  const std::string signal = branch_signal({}, sink.context());
  if (verb == "reset") {
    if (view.has("--hard") || view.has("--merge") || view.has("--keep")) {
      return sink.add("git.discard_changes", call, signal, "git stash");
    }
    return sink.add("git.history_change", call, signal);
  }
  if (verb == "checkout") {
    const bool has_separator = std::any_of(args.begin(), args.end(), [](const Arg& a) { return a.text == "--"; });
    const bool dot = std::any_of(args.begin(), args.end(), [](const Arg& a) { return a.text == "."; });
    if (view.has('f') || view.has("--force") || has_separator || dot) {
      return sink.add("git.discard_changes", call, {}, "git stash");
    }
    return;
  }
  if (verb == "restore") {
    if ((view.has('S') || view.has("--staged")) && !(view.has('W') || view.has("--worktree"))) return;
    return sink.add("git.discard_changes", call, {}, "git stash");
  }
  if (verb == "switch") {
    if (view.has("--discard-changes") || view.has('f') || view.has("--force")) sink.add("git.discard_changes", call);
  }
}

// Keys whose value git runs as a program (or, for core.hooksPath, where it
// finds programs to run).
bool runs_program(std::string_view key) {
  for (std::string_view k :
       {"core.hookspath", "core.fsmonitor", "core.pager", "core.sshcommand", "core.editor", "sequence.editor",
        "core.askpass", "diff.external", "credential.helper", "gpg.program", "init.templatedir"}) {
    if (key == k) return true;
  }
  return key.starts_with("alias.") || key.starts_with("pager.") || key.starts_with("filter.");
}

// git config KEY VALUE: a program from a directory anyone can write that
// git will run from now on is persistence; a command value is rated as code.
void git_config(const Call& call, const std::vector<Arg>& args, Sink& sink) {
  const ArgView view(args, "f", {"--file", "--type", "--default", "--blob"});
  const auto& ops = view.operands();
  const bool reads = view.has('l') || view.has("--list") || view.has("--get") || view.has("--get-all") ||
                     view.has("--get-regexp") || view.has("--show-origin") || view.has('e') || view.has("--edit");
  if (reads || ops.empty()) return;
  if (ops.size() < 2 && !view.has("--unset") && !view.has("--unset-all")) return;  // reads one key
  const std::string key = ascii_lower(ops[0]->text);
  const std::string value = ops.size() > 1 ? ops[1]->value : std::string();
  if (runs_program(key) && !value.empty()) {
    for (std::string_view dir : {"/tmp/", "/var/tmp/", "/dev/shm/"}) {
      if ((value + "/").starts_with(dir)) return sink.add("persist.exec_hook", call, key + " -> " + value);
    }
    if (key != "core.hookspath")
      sink.run_code(value.starts_with("!") ? value.substr(1) : value, CodeLanguage::shell, call);
  }
  sink.add("git.config", call, key);
}

void git_other(const Call& call, const std::string& verb, const std::vector<Arg>& args, Sink& sink) {
  const ArgView view(args, "mFC", {"--message", "--file"});
  if (verb == "config") return git_config(call, args, sink);
  if (verb == "clone") return sink.add("git.clone", call);
  if (verb == "clean") {
    if (view.has('n') || view.has("--dry-run") || view.has('i')) return;
    if (view.has('f') || view.has("--force")) {
      return sink.add("git.clean", call, {}, "git clean -n" + std::string(view.has('d') ? " -d" : ""));
    }
    return;
  }
  if (verb == "branch") {
    if (view.has('D') || (view.has('d') && view.has('f')) || (view.has("--delete") && view.has("--force"))) {
      return sink.add("git.delete_branch", call, branch_signal(view.operands(), sink.context()));
    }
    if (view.has('d') || view.has("--delete") || view.has('m') || view.has('M')) sink.add("git.state_change", call);
    return;
  }
  if (verb == "rm") {
    if (view.has("--cached") || view.has('n') || view.has("--dry-run")) return;
    return sink.add("rm.files", call);
  }
  if (verb == "filter-branch" || verb == "filter-repo") return sink.add("git.rewrite_history", call);
  if (verb == "reflog" && !view.operands().empty() && view.operands()[0]->text == "expire") {
    return sink.add("git.expire_reflog", call);
  }
  if (verb == "gc" && std::any_of(args.begin(), args.end(), [](const Arg& a) { return a.text == "--prune=now"; })) {
    return sink.add("git.expire_reflog", call);
  }
  if (verb == "stash" && !view.operands().empty() &&
      (view.operands()[0]->text == "drop" || view.operands()[0]->text == "clear")) {
    return sink.add("git.discard_changes", call);
  }
  if (verb == "rebase" || verb == "pull" || verb == "merge") return sink.add("git.history_change", call);
  if (verb == "update-ref" && view.has('d')) return sink.add("git.delete_branch", call);
}

void analyze_git(const Call& call, Sink& sink, Facts&) {
  std::size_t i = 0;
  while (i < call.args.size() && call.args[i].text.starts_with("-")) {
    const std::string& a = call.args[i].text;
    i += (a == "-C" || a == "-c" || a == "--git-dir" || a == "--work-tree" || a == "--namespace") ? 2 : 1;
  }
  if (i >= call.args.size()) return;
  const std::string verb = call.args[i].text;
  const std::vector<Arg> args(call.args.begin() + static_cast<long>(i) + 1, call.args.end());
  if (verb == "push") return git_push(call, args, sink);
  if (verb == "reset" || verb == "checkout" || verb == "restore" || verb == "switch") {
    return git_reset_like(call, verb, args, sink);
  }
  git_other(call, verb, args, sink);
}

bool is_essential_package(std::string_view name) {
  for (std::string_view p :
       {"libc6",  "glibc",      "systemd", "coreutils",   "bash",  "sudo",   "openssh-server", "dpkg",       "apt",
        "rpm",    "dnf",        "yum",     "linux-image", "grub",  "grub2",  "init",           "util-linux", "login",
        "passwd", "base-files", "python3", "pacman",      "linux", "kernel", "libc-bin",       "zlib1g"}) {
    if (name == p || (name.starts_with(p) && (p == "linux-image" || p == "grub"))) return true;
  }
  return false;
}

void analyze_package_manager(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "ot", {"--option", "--target-release"});
  if (view.has('s') && call.program.starts_with("apt")) return;
  if (view.has("--dry-run") || view.has("--simulate") || view.has("--just-print") || view.has("--assume-no")) return;
  const auto& ops = view.operands();
  std::string verb = ops.empty() ? "" : ops.front()->text;
  if (view.has("--break-system-packages") && verb == "install") {
    const bool remote = std::any_of(ops.begin(), ops.end(), [](const Arg* a) {
      return a->text.find("://") != std::string::npos || a->text.starts_with("git+");
    });
    return sink.add(remote ? "pkg.break_system_remote" : "pkg.break_system", call);
  }
  if (call.program == "pacman" || call.program == "yay") {
    for (const auto& a : call.args) {
      if (a.text.starts_with("-R")) verb = a.text.find('n') != std::string::npos ? "purge" : "remove";
      if (a.text.starts_with("-S") && a.text.find('s') == std::string::npos && a.text.find('i') == std::string::npos &&
          a.text.find('c') == std::string::npos) {
        verb = "install";
      }
      if (a.text.starts_with("-U")) verb = "install";
    }
  }
  if (call.program == "dpkg" || call.program == "rpm") {
    for (const auto& a : call.args) {
      if (a.text == "-i" || a.text == "--install" || a.text.starts_with("-U") || a.text == "-ivh") verb = "install";
      if (a.text == "-r" || a.text == "--remove" || a.text == "-e" || a.text == "--erase") verb = "remove";
      if (a.text == "-P" || a.text == "--purge") verb = "purge";
    }
  }
  const bool removes = verb == "remove" || verb == "uninstall" || verb == "erase" || verb == "purge" ||
                       verb == "autoremove" || verb == "rm";
  if (removes) {
    for (std::size_t i = 1; i < ops.size(); ++i) {
      if (is_essential_package(ops[i]->text)) return sink.add("pkg.remove_essential", call, "package " + ops[i]->text);
    }
    for (const auto& a : call.args) {
      if (is_essential_package(a.text)) return sink.add("pkg.remove_essential", call, "package " + a.text);
    }
    return sink.add(verb == "purge" || verb == "autoremove" || view.has("--purge") ? "pkg.purge" : "pkg.remove", call);
  }
  for (std::string_view v : {"install", "upgrade", "update", "dist-upgrade", "full-upgrade", "add", "reinstall",
                             "downgrade", "i", "up", "ci", "sync", "build-dep", "link", "tap"}) {
    if (verb == v) return sink.add("pkg.install", call);
  }
}

void analyze_publish(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args);
  if (view.has("--dry-run") || view.has('n') || view.operands().empty()) {
    if (!view.operands().empty() || call.program == "twine") return;
  }
  const std::string& verb = view.operands().empty() ? std::string() : view.operands().front()->text;
  if ((call.program == "twine" && verb == "upload") || verb == "publish" || verb == "unpublish" ||
      (call.program == "gem" && verb == "push") || (call.program == "poetry" && verb == "publish")) {
    if (view.has("--dry-run")) return;
    return sink.add("publish.release", call);
  }
  if (call.program == "cargo" && verb == "clean") return sink.add("build.clean", call, verb);
  if (call.program != "twine" && call.program != "poetry") analyze_package_manager(call, sink, facts);
}

// make TARGET: install and clean targets change the system or delete files;
// plain builds write only into the tree.
void analyze_make(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "CfIjlo", {"--directory", "--file", "--makefile", "--include-dir", "--jobs"});
  if (view.has('n') || view.has("--dry-run") || view.has("--just-print") || view.has('q')) return;
  for (const Arg* a : view.operands()) {
    const std::string& t = a->text;
    if (t == "install" || t == "uninstall" || t.starts_with("install-")) return sink.add("build.install", call, t);
    if (t == "clean" || t == "distclean" || t == "mrproper" || t == "realclean" || t == "maintainer-clean") {
      return sink.add("build.clean", call, t);
    }
  }
}

void analyze_ssh_keygen(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "bCEfFIjmMnNOPrstwYzZD", {});
  for (char reads : {'l', 'y', 'F', 'B', 'L', 'Q', 'k'}) {
    if (view.has(reads)) return;
  }
  if (view.has('R') || view.has('p') || view.has('c')) return sink.add("keys.change", call);
  sink.add("keys.generate", call);
}

void analyze_ssh_copy_id(const Call& call, Sink& sink, Facts&) { sink.add("net.copy_key", call); }

constexpr AnalyzerEntry k_entries[] = {
    {"make", analyze_make},
    {"gmake", analyze_make},
    {"ssh-keygen", analyze_ssh_keygen},
    {"ssh-copy-id", analyze_ssh_copy_id},
    {"git", analyze_git},
    {"apt", analyze_package_manager},
    {"apt-get", analyze_package_manager},
    {"aptitude", analyze_package_manager},
    {"dnf", analyze_package_manager},
    {"yum", analyze_package_manager},
    {"zypper", analyze_package_manager},
    {"pacman", analyze_package_manager},
    {"yay", analyze_package_manager},
    {"apk", analyze_package_manager},
    {"brew", analyze_package_manager},
    {"port", analyze_package_manager},
    {"snap", analyze_package_manager},
    {"flatpak", analyze_package_manager},
    {"dpkg", analyze_package_manager},
    {"rpm", analyze_package_manager},
    {"pip", analyze_package_manager},
    {"pip3", analyze_package_manager},
    {"pipx", analyze_package_manager},
    {"conda", analyze_package_manager},
    {"npm", analyze_publish},
    {"pnpm", analyze_publish},
    {"yarn", analyze_publish},
    {"cargo", analyze_publish},
    {"gem", analyze_publish},
    {"twine", analyze_publish},
    {"poetry", analyze_publish},
};

}  // namespace

std::span<const AnalyzerEntry> tool_analyzers() { return k_entries; }

}  // namespace cmdai::safety
