// cmdai history list|show ID

#include <charconv>
#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "core/entity_json.h"
#include "core/time.h"
#include "history/history_store.h"

namespace cmdai::cli {
namespace {

Result<std::int64_t> number_flag(const Invocation& inv, std::string_view name, std::int64_t fallback) {
  auto text = inv.args.value(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || ptr != text->data() + text->size() || value < 0) {
    return fail(ErrorCode::invalid_argument, "--" + std::string(name) + " must be a non-negative number");
  }
  return value;
}

ExitCode list(Invocation& inv) {
  auto limit = number_flag(inv, "limit", 20);
  if (!limit) return report_error(inv, limit.error());
  auto offset = number_flag(inv, "offset", 0);
  if (!offset) return report_error(inv, offset.error());
  auto store = history::HistoryStore::open(inv.paths.history_db);
  if (!store) return report_error(inv, store.error());
  auto entries = store->list({*offset, *limit});
  if (!entries) return report_error(inv, entries.error());
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& entry : *entries) out.push_back(to_json(entry));
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& entry : *entries) {
    const RiskLevel risk = entry.safety_metadata ? entry.safety_metadata->risk_level : RiskLevel::safe;
    const std::string when = format_iso8601(entry.timestamp).substr(0, 16);
    inv.out << dim(inv.color) << entry.id.substr(0, 8) << "  " << when << reset_color(inv.color) << "  "
            << risk_color(risk, inv.color) << to_string(risk) << reset_color(inv.color)
            << std::string(9 - to_string(risk).size(), ' ') << entry.command << "\n";
  }
  return ExitCode::ok;
}

ExitCode show(Invocation& inv, const std::string& id) {
  auto store = history::HistoryStore::open(inv.paths.history_db);
  if (!store) return report_error(inv, store.error());
  auto entry = store->get(id);
  if (!entry) return report_error(inv, entry.error());
  if (!*entry) return report_error(inv, Error{ErrorCode::not_found, "no history entry with id " + id, {}});
  const auto json = to_json(**entry);
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, json);
  } else {
    inv.out << to_yaml(json);
  }
  return ExitCode::ok;
}

}  // namespace

ExitCode run_history_reindex(Invocation& inv);  // cmd_reindex.cpp

ExitCode run_history(Invocation& inv) {
  const std::string action = inv.words.empty() ? "list" : inv.words[0];
  if (action == "list") return list(inv);
  if (action == "show" && inv.words.size() == 2) return show(inv, inv.words[1]);
  if (action == "reindex") return run_history_reindex(inv);
  return report_error(inv, Error{ErrorCode::invalid_argument, "unknown history command '" + action + "'",
                                 "use: cmdai history list|show ID|reindex"});
}

}  // namespace cmdai::cli
