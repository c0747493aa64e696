// Containers, clusters, infrastructure as code, cloud CLIs, databases, rsync.

#include <algorithm>

#include "safety/call.h"

namespace cmdai::safety {
namespace {

std::vector<std::string> words_of(const Call& call) {
  std::vector<std::string> out;
  for (const auto& a : call.args) {
    if (!a.text.starts_with("-")) out.push_back(a.text);
  }
  return out;
}

bool has_arg(const Call& call, std::string_view text) {
  return std::any_of(call.args.begin(), call.args.end(), [&](const Arg& a) { return a.text == text; });
}

bool has_prefix_arg(const Call& call, std::string_view prefix) {
  return std::any_of(call.args.begin(), call.args.end(), [&](const Arg& a) { return a.text.starts_with(prefix); });
}

bool is_dry_run(const Call& call) {
  return std::any_of(call.args.begin(), call.args.end(), [](const Arg& a) {
    return a.text == "--dry-run" || a.text.starts_with("--dry-run=") || a.text == "--dryrun" || a.text == "--what-if";
  });
}

bool has_short_flag(const Call& call, char flag, std::string_view long_flag) {
  return std::any_of(call.args.begin(), call.args.end(), [&](const Arg& a) {
    return a.text == long_flag ||
           (a.text.size() > 1 && a.text[0] == '-' && a.text[1] != '-' && a.text.find(flag) != std::string::npos);
  });
}

// Listing every id (ps -q, volume ls -q) and removing all of them: with
// `rm $(docker ps -aq)`, `docker ps -aq | xargs docker rm`, `rm -a`, or a
// forced prune of everything including volumes. True when it reported.
bool removes_everything(const Call& call, const std::vector<std::string>& w, Sink& sink, Facts& facts) {
  const bool quiet = has_short_flag(call, 'q', "--quiet");
  const std::string object = w[0] == "container" || w[0] == "volume" || w[0] == "image" || w[0] == "system" ? w[0] : "";
  const std::string verb = object.empty() ? w[0] : (w.size() > 1 ? w[1] : "");
  if (quiet && (verb == "ps" || verb == "ls" || verb == "images" || verb == "list")) {
    facts.lists_containers = true;
    return true;
  }
  const bool force = has_short_flag(call, 'f', "--force");
  const bool all = has_short_flag(call, 'a', "--all");
  if (verb == "prune" && force && (object == "volume" || has_arg(call, "--volumes")) && (all || object == "system")) {
    sink.add("container.prune_all", call);
    return true;
  }
  if (verb != "rm" && verb != "rmi" && verb != "remove") return false;
  if (call.operands_from_stdin) facts.removes_listed_containers = true;
  const bool from_listing = std::any_of(call.args.begin(), call.args.end(), [&](const Arg& a) {
    return a.word != nullptr && !a.word->substitutions.empty() && sink.substitution_facts(a).lists_containers;
  });
  if (!from_listing && !(all && force && verb == "rm")) return false;
  sink.add("container.remove_all", call, from_listing ? "the ids come from a listing of all of them" : "--all");
  return true;
}

void analyze_container(const Call& call, Sink& sink, Facts& facts) {
  const auto w = words_of(call);
  if (w.empty()) return;
  if (removes_everything(call, w, sink, facts)) return;
  std::string verb = w[0];
  if ((verb == "container" || verb == "image" || verb == "volume" || verb == "network" || verb == "system") &&
      w.size() > 1) {
    if (w[1] == "prune") return sink.add(verb == "volume" ? "container.volume_delete" : "container.prune", call);
    if (verb == "volume" && (w[1] == "rm" || w[1] == "remove")) return sink.add("container.volume_delete", call);
    verb = w[1];
  }
  if (verb == "run" || verb == "create") {
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const std::string& a = call.args[i].text;
      const std::string next = i + 1 < call.args.size() ? call.args[i + 1].text : "";
      const std::string mount = a.starts_with("-v") && a.size() > 2 ? a.substr(2)
                                : (a == "-v" || a == "--volume")    ? next
                                                                    : "";
      if (mount.starts_with("/:") || mount == "/")
        return sink.add("container.host_root", call, "mounts / from the host");
    }
    if (has_arg(call, "--privileged") || has_prefix_arg(call, "--pid=host") || has_arg(call, "--net=host") ||
        has_prefix_arg(call, "--cap-add=ALL") || has_prefix_arg(call, "--cap-add=SYS_ADMIN")) {
      return sink.add("container.privileged", call);
    }
  }
  for (std::string_view v : {"ps",      "images", "logs",   "inspect", "version", "info",   "stats",  "top",
                             "history", "ls",     "search", "events",  "port",    "diff",   "df",     "login",
                             "build",   "pull",   "tag",    "save",    "compose", "buildx", "context"}) {
    if (verb == v && !(verb == "compose" && w.size() > 1 && (w[1] == "down" || w[1] == "up" || w[1] == "rm"))) {
      return;
    }
  }
  if (verb == "compose" && w.size() > 1 && w[1] == "down" && (has_arg(call, "-v") || has_arg(call, "--volumes"))) {
    return sink.add("container.volume_delete", call);
  }
  sink.add("container.change", call);
}

std::string kube_signal(const Call& call, const ValidationContext& context) {
  auto is_prod = [](std::string_view s) {
    return s.find("prod") != std::string_view::npos || s.find("live") != std::string_view::npos;
  };
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    std::string value;
    if (a.starts_with("--context=") || a.starts_with("--kube-context=")) value = a.substr(a.find('=') + 1);
    if ((a == "--context" || a == "--kube-context") && i + 1 < call.args.size()) value = call.args[i + 1].text;
    if (!value.empty() && is_prod(value)) return "production context " + value;
  }
  if (!context.kube_context.empty() && is_prod(context.kube_context)) {
    return "production context " + context.kube_context;
  }
  return {};
}

void analyze_kubectl(const Call& call, Sink& sink, Facts&) {
  if (is_dry_run(call)) return;
  const ArgView view(call.args, "nlfco", {"--namespace", "--selector", "--filename", "--context", "--output"});
  const auto& ops = view.operands();
  if (ops.empty()) return;
  const std::string verb = ops[0]->text;
  const std::string signal = kube_signal(call, sink.context());
  for (std::string_view v : {"get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions",
                             "cluster-info", "auth", "diff", "events", "wait", "port-forward", "completion"}) {
    if (verb == v) return;
  }
  if (verb == "config") {
    if (ops.size() > 1 &&
        (ops[1]->text.starts_with("delete") || ops[1]->text.starts_with("set") || ops[1]->text == "use-context")) {
      sink.add("kube.change", call);
    }
    return;
  }
  if (verb == "delete") {
    const bool everything = view.has("--all") || view.has('A') || view.has("--all-namespaces");
    const bool namespace_kind =
        ops.size() > 1 && (ops[1]->text == "namespace" || ops[1]->text == "ns" ||
                           ops[1]->text.starts_with("namespace/") || ops[1]->text == "namespaces");
    if (everything || namespace_kind) return sink.add("kube.delete_all", call, signal);
    return sink.add("kube.delete", call, signal);
  }
  if (verb == "drain" || (verb == "replace" && view.has("--force"))) return sink.add("kube.delete", call, signal);
  sink.add("kube.change", call, signal);
}

void analyze_helm(const Call& call, Sink& sink, Facts&) {
  if (is_dry_run(call)) return;
  const auto w = words_of(call);
  if (w.empty()) return;
  const std::string signal = kube_signal(call, sink.context());
  if (w[0] == "uninstall" || w[0] == "delete" || w[0] == "del" || w[0] == "un") {
    return sink.add("helm.uninstall", call, signal);
  }
  for (std::string_view v : {"install", "upgrade", "rollback", "repo", "plugin", "push"}) {
    if (w[0] == v && !(w[0] == "repo" && w.size() > 1 && (w[1] == "list" || w[1] == "update"))) {
      return sink.add("helm.change", call, signal);
    }
  }
}

void analyze_terraform(const Call& call, Sink& sink, Facts&) {
  const auto w = words_of(call);
  if (w.empty()) return;
  const bool auto_approve = has_arg(call, "-auto-approve") || has_arg(call, "--auto-approve") || has_arg(call, "--yes");
  const bool destroy_flag = has_arg(call, "-destroy");
  if (w[0] == "destroy" || (w[0] == "apply" && destroy_flag) || (w[0] == "down")) {
    return sink.add(auto_approve ? "iac.destroy_now" : "iac.destroy", call);
  }
  if (w[0] == "apply" || w[0] == "up" || w[0] == "import" || w[0] == "taint" ||
      (w[0] == "state" && w.size() > 1 && (w[1] == "rm" || w[1] == "mv"))) {
    return sink.add("iac.apply", call);
  }
}

void analyze_cloud(const Call& call, Sink& sink, Facts&) {
  if (is_dry_run(call)) return;
  const auto w = words_of(call);
  if (w.empty()) return;
  const bool recursive = has_arg(call, "--recursive") || has_arg(call, "-r");
  if (call.program == "aws" && w[0] == "s3" && w.size() > 1) {
    if (w[1] == "rb" && has_arg(call, "--force")) return sink.add("cloud.delete_all", call);
    if (w[1] == "rb" || (w[1] == "rm" && recursive)) return sink.add("cloud.delete", call);
    if (w[1] == "rm" || (w[1] == "sync" && has_arg(call, "--delete"))) return sink.add("cloud.delete", call);
    if (w[1] == "cp" || w[1] == "mv" || w[1] == "sync" || w[1] == "mb") return sink.add("cloud.change", call);
    return;
  }
  if (call.program == "gsutil" && !w.empty()) {
    if (w[0] == "rm" || w[0] == "rb") return sink.add(recursive ? "cloud.delete_all" : "cloud.delete", call);
    if (w[0] == "cp" || w[0] == "mv" || w[0] == "rsync") return sink.add("cloud.change", call);
    return;
  }
  const bool project = std::find(w.begin(), w.end(), "projects") != w.end();
  const bool group = call.program == "az" && std::find(w.begin(), w.end(), "group") != w.end();
  for (const auto& word : w) {
    if (word == "delete" || word.starts_with("delete-") || word.starts_with("terminate") ||
        word.starts_with("remove-") || word == "purge" || word == "destroy") {
      if ((project && word == "delete") || (group && word == "delete")) return sink.add("cloud.delete_all", call);
      return sink.add("cloud.delete", call);
    }
  }
  for (const auto& word : w) {
    for (std::string_view v : {"create", "update", "put-", "modify-", "run-instances", "start", "stop", "deploy", "set",
                               "attach", "detach", "add-", "reboot", "resize", "scale", "apply", "import"}) {
      if (word == v || (v.ends_with("-") && word.starts_with(v)) || word.starts_with(std::string(v) + "-")) {
        return sink.add("cloud.change", call);
      }
    }
  }
}

void analyze_sql_client(const Call& call, Sink& sink, Facts& facts) {
  const std::string& p = call.program;
  bool has_code = false;
  for (const auto& a : call.args) {
    has_code = has_code || a.text == "-c" || a.text == "-e" || a.text == "-f" || a.text.starts_with("--command") ||
               a.text.starts_with("--execute") || a.text.starts_with("--file");
  }
  facts.runs_stdin = !has_code;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if ((a == "-f" || a == "--file") && i + 1 < call.args.size()) sink.add("db.script", call, call.args[i + 1].text);
    if (a.starts_with("--file=")) sink.add("db.script", call, a.substr(7));
  }
  std::string_view code_flag = p == "psql" ? "-c" : (p == "sqlite3" ? "" : "-e");
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if (!code_flag.empty() && a == code_flag && i + 1 < call.args.size()) {
      sink.run_code(call.args[i + 1].text, CodeLanguage::sql, call);
    } else if (!code_flag.empty() && a.starts_with(code_flag) && a.size() > code_flag.size() && p != "psql") {
      sink.run_code(a.substr(code_flag.size()), CodeLanguage::sql, call);
    } else if (a.starts_with("--command=") || a.starts_with("--execute=")) {
      sink.run_code(a.substr(a.find('=') + 1), CodeLanguage::sql, call);
    } else if ((a == "--command" || a == "--execute") && i + 1 < call.args.size()) {
      sink.run_code(call.args[i + 1].text, CodeLanguage::sql, call);
    }
  }
  if (p == "sqlite3") {
    std::vector<const Arg*> ops;
    for (const auto& a : call.args) {
      if (!a.text.starts_with("-")) ops.push_back(&a);
    }
    for (std::size_t i = 1; i < ops.size(); ++i) sink.run_code(ops[i]->text, CodeLanguage::sql, call);
    facts.runs_stdin = ops.size() <= 1;
  }
  if (p == "dropdb") sink.add("db.drop_database", call);
}

void analyze_redis(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "hpanu", {"--user", "--pass"});
  std::string command;
  for (const Arg* a : view.operands()) command += (command.empty() ? "" : " ") + a->text;
  if (!command.empty()) sink.run_code(command, CodeLanguage::redis, call);
}

void analyze_mongo(const Call& call, Sink& sink, Facts&) {
  for (std::size_t i = 0; i + 1 < call.args.size(); ++i) {
    if (call.args[i].text == "--eval") sink.run_code(call.args[i + 1].text, CodeLanguage::mongo, call);
  }
}

void analyze_rsync(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "e", {"--rsh", "--exclude", "--include"});
  if (view.has('n') || view.has("--dry-run") || view.operands().size() < 2) return;
  const auto dest = resolve(*view.operands().back(), sink.context());
  const std::string& to = view.operands().back()->text;
  const bool remote = to.find(':') != std::string::npos && !to.starts_with("/") && !to.starts_with(".");
  for (std::size_t i = 0; remote && i + 1 < view.operands().size(); ++i) {
    if (is_secret_path(resolve(*view.operands()[i], sink.context()), sink.context())) {
      return sink.add("exfil.secret", call, "copies " + view.operands()[i]->text + " to another machine");
    }
  }
  const bool deletes = view.has("--delete") || view.has("--delete-before") || view.has("--delete-after") ||
                       view.has("--delete-during") || view.has("--remove-source-files");
  if (deletes && is_catastrophic(dest.scope)) return sink.add("rm.recursive_system", call, "destination " + dest.path);
  if (deletes)
    return sink.add("rm.recursive", call, "--delete removes files missing from the source",
                    "rsync --dry-run " + join_args(call));
  if (dest.scope == Scope::system || dest.scope == Scope::system_inner || dest.scope == Scope::critical_file) {
    return sink.add("files.overwrite_system", call);
  }
  sink.add("files.copy", call);
}

constexpr AnalyzerEntry k_entries[] = {
    {"docker", analyze_container},    {"podman", analyze_container},   {"nerdctl", analyze_container},
    {"kubectl", analyze_kubectl},     {"oc", analyze_kubectl},         {"helm", analyze_helm},
    {"terraform", analyze_terraform}, {"tofu", analyze_terraform},     {"pulumi", analyze_terraform},
    {"aws", analyze_cloud},           {"gcloud", analyze_cloud},       {"az", analyze_cloud},
    {"gsutil", analyze_cloud},        {"psql", analyze_sql_client},    {"mysql", analyze_sql_client},
    {"mariadb", analyze_sql_client},  {"sqlite3", analyze_sql_client}, {"dropdb", analyze_sql_client},
    {"redis-cli", analyze_redis},     {"mongosh", analyze_mongo},      {"mongo", analyze_mongo},
    {"rsync", analyze_rsync},
};

}  // namespace

std::span<const AnalyzerEntry> service_analyzers() { return k_entries; }

}  // namespace cmdai::safety
