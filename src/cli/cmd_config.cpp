// cmdai config show|path|edit

#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "tui/config_editor.h"

namespace cmdai::cli {
namespace {

nlohmann::json state_json(const config::ConfigurationState& s) {
  nlohmann::json chain = nlohmann::json::array();
  for (auto b : s.fallback_chain) chain.push_back(to_string(b));
  return {{"backend.preferred", s.preferred_backend ? std::string(to_string(*s.preferred_backend)) : "auto"},
          {"backend.fallback_chain", chain},
          {"history.enabled", s.history_enabled},
          {"history.privacy_mode", config::to_string(s.privacy_mode)},
          {"safety.level", config::to_string(s.safety_level)},
          {"ui.streaming", s.streaming_enabled},
          {"ui.color", s.color_output}};
}

}  // namespace

ExitCode run_config(Invocation& inv) {
  const std::string action = inv.words.empty() ? "show" : inv.words[0];
  if (action == "path") {
    inv.out << inv.paths.config_file.string() << "\n";
    return ExitCode::ok;
  }
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file);
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << warning << "\n";
  if (action == "show") {
    const auto json = state_json(loaded.state);
    if (inv.format != OutputFormat::plain) {
      write_structured(inv, json);
    } else {
      for (auto it = json.begin(); it != json.end(); ++it) {
        inv.out << it.key() << " = " << it.value().dump() << "\n";
      }
    }
    return ExitCode::ok;
  }
  if (action == "edit") {
    auto edited = tui::run_config_editor(inv.env, loaded.state);
    if (!edited) return report_error(inv, edited.error());
    return ExitCode::ok;
  }
  return report_error(inv, Error{ErrorCode::invalid_argument, "unknown config command '" + action + "'",
                                 "use: cmdai config show|path|edit"});
}

}  // namespace cmdai::cli
