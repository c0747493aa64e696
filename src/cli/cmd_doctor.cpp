// cmdai doctor: checks what cmdai depends on and says what to fix.

#include <fstream>
#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/shell_init.h"
#include "config/configuration.h"
#include "core/terminal_text.h"
#include "history/history_store.h"
#include "pipeline/command_pipeline.h"
#include "routing/health_checker.h"

namespace cmdai::cli {
namespace {

enum class Status { ok, warn, fail };

struct Check {
  std::string area;
  Status status = Status::ok;
  std::string detail;
  std::string fix;  // empty when there is nothing to do
};

std::string_view to_string(Status status) {
  switch (status) {
    case Status::ok: return "ok";
    case Status::warn: return "warn";
    case Status::fail: return "FAIL";
  }
  return "FAIL";
}

void check_config(const Invocation& inv, const config::LoadedConfiguration& loaded, std::vector<Check>& out) {
  const std::string path = inv.paths.config_file.string();
  if (!inv.env.file_exists(inv.paths.config_file)) {
    out.push_back({"config", Status::ok, "no file at " + path + "; using defaults", ""});
  } else if (loaded.warnings.empty()) {
    out.push_back({"config", Status::ok, path, ""});
  }
  for (const auto& warning : loaded.warnings) {
    out.push_back({"config", Status::warn, warning, "edit " + path + " (or `cmdai config edit`)"});
  }
  if (auto key = parse_key_binding(loaded.state.shell_key_binding); !key) {
    out.push_back({"config", Status::warn, key.error().message, "set shell.key_binding = \"ctrl-g\""});
  }
}

void check_history(const Invocation& inv, std::vector<Check>& out) {
  const auto& db = inv.paths.history_db;
  if (!inv.env.file_exists(db)) {
    out.push_back({"history", Status::ok, "no database yet; created at " + db.string() + " on first use", ""});
    return;
  }
  const std::string aside = "mv " + db.string() + " " + db.string() + ".broken (cmdai starts a new one)";
  // A database cmdai may not write is not a damaged one: read it read-only,
  // and advise moving it aside only when the integrity check says so.
  const bool read_only = history::HistoryStore::is_read_only(db);
  auto store = history::HistoryStore::open_for_reading(db);
  if (!store) {
    const bool damaged = store.error().code == ErrorCode::corruption;
    out.push_back({"history", Status::fail, store.error().describe(),
                   damaged && !read_only ? aside : "check the permissions and mount of " + db.parent_path().string()});
    return;
  }
  if (const auto& recovered = store->recovery()) {
    // Opening found the file damaged, moved it aside and salvaged what it could.
    out.push_back({"history", Status::fail,
                   db.string() + " was damaged (" + recovered->problem + "); moved to " + recovered->moved_to.string() +
                       ", " + std::to_string(recovered->salvaged) + " entries salvaged",
                   "look at " + recovered->moved_to.filename().string() + " and delete it when the history is right"});
    return;
  }
  auto statement = store->database().prepare("PRAGMA quick_check");
  auto row = statement ? statement->step() : Result<bool>(fail(statement.error()));
  const std::string verdict = row && *row ? statement->column_text(0) : "unreadable";
  auto count = store->count();
  if (verdict != "ok" || !count) {
    out.push_back({"history", Status::fail, db.string() + ": integrity check says " + verdict,
                   read_only ? "copy it somewhere writable and run `cmdai history cleanup` there" : aside});
    return;
  }
  const std::string summary = db.string() + ": " + std::to_string(*count) + " entries, integrity ok";
  if (read_only) {
    out.push_back({"history", Status::warn,
                   summary + "; read-only (the file or its directory cannot be written): list and search work, "
                             "nothing new is recorded",
                   "make " + db.parent_path().string() + " writable, or set CMDAI_HOME to a writable directory"});
    return;
  }
  out.push_back({"history", Status::ok, summary, ""});
}

void check_models(const Invocation& inv, std::vector<Check>& out) {
  const auto& dir = inv.paths.models_dir;
  std::error_code ec;
  std::size_t found = 0;
  if (std::filesystem::is_directory(dir, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".gguf") continue;
      ++found;
      std::ifstream in(entry.path(), std::ios::binary);
      char magic[4] = {};
      in.read(magic, 4);
      const auto size = std::filesystem::file_size(entry.path(), ec);
      if (std::string_view(magic, 4) == "GGUF") {
        out.push_back({"models", Status::ok, entry.path().string() + " (" + std::to_string(size >> 20) + " MiB)", ""});
      } else {
        out.push_back({"models", Status::fail, entry.path().string() + " is not a GGUF file",
                       "delete it and download the model again"});
      }
    }
  }
  if (found == 0) {
    out.push_back({"models", Status::warn, "no GGUF model in " + dir.string() + "; the offline rules answer",
                   "put a .gguf model in " + dir.string() + " or pass --model FILE.gguf"});
  }
}

// What discovery found (or that it is off), from the plan's fresh probes.
void check_discovery(const config::ConfigurationState& config, const pipeline::RoutingPlan& plan,
                     std::vector<Check>& out) {
  if (!config.discover_servers) {
    out.push_back(
        {"discovery", Status::ok, "off (backend.discover = false): servers are used only when configured", ""});
    return;
  }
  std::string looked;
  bool found = false;
  for (const auto& server : plan.servers) {
    looked += (looked.empty() ? "" : ", ") + server.target.endpoint;
    if (!server.health || !server.health->healthy) continue;
    found = true;
    const auto* instance = plan.registry.find(server.target.server);
    std::string detail = server.target.server + " at " + server.target.endpoint + ": " +
                         std::to_string(server.health->models.size()) + " models";
    if (instance != nullptr && instance->origin == routing::InstanceOrigin::discovered) {
      detail += "; answers as '" + instance->name + "' with " + instance->model;
    }
    out.push_back({"discovery", Status::ok, detail, ""});
  }
  if (!found) {
    out.push_back({"discovery", Status::warn, "no model server is running here (looked at " + looked + ")",
                   "start one (ollama serve; llama-server -m MODEL.gguf) or install a model: cmdai model pull "
                   "qwen2.5-coder-1.5b"});
  }
}

void check_backends(Invocation& inv, const config::ConfigurationState& config, std::vector<Check>& out) {
  pipeline::CommandPipeline pipeline(inv.env, inv.paths, config);
  std::stop_source stop;
  auto plan = pipeline.plan(pipeline::PipelineOptions{}, pipeline::DiscoveryMode::listed, pipeline::ProbePolicy::now,
                            stop.get_token());
  if (!plan) {
    out.push_back({"backends", Status::fail, plan.error().describe(), "fix the backend settings: cmdai config edit"});
    return;
  }
  for (const auto& warning : plan->warnings) {
    out.push_back({"backends", Status::warn, warning, "cmdai config edit (or cmdai config set KEY VALUE)"});
  }
  check_discovery(config, *plan, out);
  const auto& instances = plan->registry.instances();
  const routing::HealthChecker checker(routing::default_backend_factory(), [&inv] { return inv.env.now(); });
  std::vector<const routing::BackendInstance*> targets;
  for (const auto& instance : instances) targets.push_back(&instance);
  const auto records = checker.check_all(targets, stop.get_token());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string& name = targets[i]->name;
    if (records[i].healthy) {
      out.push_back({"backends", Status::ok, name + ": " + records[i].detail, ""});
    } else {
      out.push_back({"backends", Status::warn, name + ": " + records[i].detail, "see `cmdai backends list`"});
    }
  }
}

void check_shells(const Invocation& inv, std::vector<Check>& out) {
  const std::filesystem::path home = inv.env.home_dir();
  const auto zdotdir = inv.env.get_var("ZDOTDIR");
  const std::vector<std::pair<std::string, std::filesystem::path>> files{
      {"bash", home / ".bashrc"},
      {"zsh", (zdotdir ? std::filesystem::path(*zdotdir) : home) / ".zshrc"},
      {"fish", home / ".config/fish/config.fish"}};
  std::string installed;
  for (const auto& [shell, file] : files) {
    auto text = inv.env.file_exists(file) ? inv.env.read_file(file) : Result<std::string>(std::string());
    if (text && text->find("cmdai init " + shell) != std::string::npos)
      installed += (installed.empty() ? "" : ", ") + shell;
  }
  if (!installed.empty()) {
    out.push_back({"shell", Status::ok, "integration in the rc file for " + installed, ""});
  } else {
    out.push_back({"shell", Status::warn, "no shell integration installed",
                   "add  eval \"$(cmdai init bash)\"  to ~/.bashrc (zsh: ~/.zshrc; fish: `cmdai init fish | source` "
                   "in config.fish)"});
  }
}

}  // namespace

ExitCode run_doctor(Invocation& inv) {
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  std::vector<Check> checks;
  check_config(inv, loaded, checks);
  check_history(inv, checks);
  check_models(inv, checks);
  check_backends(inv, loaded.state, checks);
  check_shells(inv, checks);
  bool failed = false;
  for (const auto& c : checks) failed = failed || c.status == Status::fail;
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : checks) {
      out.push_back({{"area", c.area}, {"status", to_string(c.status)}, {"detail", c.detail}, {"fix", c.fix}});
    }
    write_structured(inv, out);
    return failed ? ExitCode::failure : ExitCode::ok;
  }
  for (const auto& c : checks) {
    const RiskLevel tint = c.status == Status::ok     ? RiskLevel::safe
                           : c.status == Status::warn ? RiskLevel::moderate
                                                      : RiskLevel::critical;
    inv.out << risk_color(tint, inv.color) << to_string(c.status) << reset_color(inv.color)
            << std::string(6 - to_string(c.status).size(), ' ') << c.area << std::string(10 - c.area.size(), ' ')
            << terminal_text(c.detail) << "\n";
    if (!c.fix.empty()) inv.out << "                fix: " << terminal_text(c.fix) << "\n";
  }
  return failed ? ExitCode::failure : ExitCode::ok;
}

}  // namespace cmdai::cli
