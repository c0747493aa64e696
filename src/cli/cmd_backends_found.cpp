// cmdai backends discover | save NAME: the model servers found running on
// this machine (routing/discovery.h), and keeping one in the configuration.

#include <algorithm>
#include <ostream>

#include "cli/backends_context.h"
#include "cli/output.h"
#include "config/document.h"
#include "config/key_table.h"
#include "core/terminal_text.h"
#include "routing/model_choice.h"

namespace cmdai::cli {
namespace {

const routing::BackendInstance* instance_at(const BackendsContext& c, const routing::DiscoveryTarget& target) {
  for (const auto& i : c.registry().instances()) {
    if (i.origin == routing::InstanceOrigin::discovered && i.endpoint == target.endpoint) return &i;
  }
  return nullptr;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// What a place said, in words: "nothing listening", "2 models: a, b" ...
std::string answer_text(const routing::FoundServer& found) {
  if (!found.health) return "not looked at";
  if (!found.health->healthy) return found.health->detail;
  const auto& models = found.health->models;
  if (models.empty()) return "answered, lists no model";
  return "answered, " + std::to_string(models.size()) + (models.size() == 1 ? " model: " : " models: ") +
         joined(models);
}

// Why a server that answered is no backend: it lists no model that can chat.
std::string unused_reason(const routing::FoundServer& found) {
  std::string reason = "no model that can answer a request";
  if (!found.health->embedding_models.empty() ||
      std::any_of(found.health->models.begin(), found.health->models.end(),
                  [](const std::string& m) { return routing::model_kind(m) == routing::ModelKind::embedding; }))
    reason += " (embedding models serve history search)";
  return reason;
}

nlohmann::json found_json(const BackendsContext& c, const routing::FoundServer& found) {
  const routing::BackendInstance* instance = instance_at(c, found.target);
  nlohmann::json out{{"server", found.target.server},
                     {"type", to_string(found.target.type)},
                     {"endpoint", found.target.endpoint},
                     {"named_by_user", found.target.named_by_user},
                     {"answered", found.health && found.health->healthy},
                     {"detail", found.health ? nlohmann::json(found.health->detail) : nlohmann::json()},
                     {"models", found.health ? found.health->models : std::vector<std::string>{}},
                     {"embedding_models", found.health ? found.health->embedding_models : std::vector<std::string>{}},
                     {"instance", instance ? nlohmann::json(instance->name) : nlohmann::json()},
                     {"model", instance ? nlohmann::json(instance->model) : nlohmann::json()},
                     {"model_reason", instance ? nlohmann::json(instance->model_reason) : nlohmann::json()}};
  return out;
}

}  // namespace

void print_unused_servers(Invocation& inv, const BackendsContext& c) {
  for (const auto& found : c.plan.servers) {
    if (!found.health || !found.health->healthy || instance_at(c, found.target) != nullptr) continue;
    inv.out << "found " << found.target.server << " at " << terminal_text(found.target.endpoint) << " ("
            << terminal_text(answer_text(found)) << "); not used: " << unused_reason(found) << "\n";
  }
}

ExitCode run_backends_discover(Invocation& inv, BackendsContext& c) {
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& found : c.plan.servers) out.push_back(found_json(c, found));
    write_structured(inv, out);
    return ExitCode::ok;
  }
  if (c.plan.servers.empty()) inv.out << "nowhere to look (every place is turned off in CMDAI_DISCOVER_PORTS)\n";
  for (const auto& found : c.plan.servers) {
    inv.out << found.target.server << " at " << terminal_text(found.target.endpoint) << ": "
            << terminal_text(answer_text(found)) << "\n";
    if (const auto* instance = instance_at(c, found.target)) {
      inv.out << "  usable as '" << instance->name << "' with " << terminal_text(instance->model) << " ("
              << terminal_text(instance->model_reason) << "); keep it: cmdai backends save " << instance->name << "\n";
    } else if (found.health && found.health->healthy) {
      inv.out << "  not used: " << unused_reason(found) << "\n";
    }
  }
  return ExitCode::ok;
}

ExitCode run_backends_save(Invocation& inv, BackendsContext& c) {
  if (inv.words.size() != 2) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "backends save needs the name of a discovered server",
                                   "cmdai backends discover lists them, e.g. cmdai backends save ollama"});
  }
  const std::string& name = inv.words[1];
  const routing::BackendInstance* instance = c.registry().find(name);
  if (instance == nullptr || instance->origin != routing::InstanceOrigin::discovered) {
    std::string found;
    for (const auto& i : c.registry().instances()) {
      if (i.origin == routing::InstanceOrigin::discovered) found += (found.empty() ? "" : ", ") + i.name;
    }
    return report_error(inv, Error{ErrorCode::not_found, "no discovered server is called '" + name + "'",
                                   found.empty() ? "none was found running here (see cmdai backends discover)"
                                                 : "discovered: " + found});
  }
  auto doc = config::ConfigDocument::open(inv.env, inv.paths.config_file);
  if (!doc) return report_error(inv, doc.error());
  const auto before = config::load_file_only(inv.env, inv.paths.config_file).state;
  const std::pair<std::string_view, std::string> fields[] = {
      {"type", std::string(to_string(instance->type))}, {"endpoint", instance->endpoint}, {"model", instance->model}};
  for (const auto& [field, value] : fields) {
    if (auto key = config::resolve_key("backend.instances." + name + "." + std::string(field))) doc->set(*key, value);
  }
  if (const ExitCode saved = save_config_document(inv, *doc, before, "backends save"); saved != ExitCode::ok)
    return saved;
  inv.out << "saved " << terminal_text(name) << " (" << to_string(instance->type) << " at "
          << terminal_text(instance->endpoint) << ", model " << terminal_text(instance->model) << ") to "
          << terminal_text(inv.paths.config_file.string()) << "\n";
  return ExitCode::ok;
}

}  // namespace cmdai::cli
