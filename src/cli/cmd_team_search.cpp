// cmdai search --team QUERY [filters] [--json]: the team history on the
// server, with who ran each command and where.

#include <cstdio>
#include <ostream>

#include "cli/cmd_team.h"
#include "cli/output.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "history/record_json.h"
#include "team/server_search.h"
#include "team/team_server.h"

namespace cmdai::cli {
namespace {

void print_plain(Invocation& inv, const std::vector<team::TeamSearchResult>& results) {
  if (results.empty()) inv.err << "cmdai: no matching team history entries\n";
  for (const auto& found : results) {
    const auto& r = found.result;
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", r.similarity_score);
    const std::string when = format_iso8601(r.entry.timestamp).substr(0, 16);
    inv.out << dim(inv.color) << r.entry.id.substr(0, 8) << reset_color(inv.color) << "  " << bold(inv.color)
            << terminal_text(r.entry.command) << reset_color(inv.color) << "\n"
            << dim(inv.color) << "          " << score << "  " << terminal_text(found.user + "@" + found.host) << "  "
            << terminal_text(r.entry.working_directory) << "  " << when << "\n"
            << "          " << terminal_text(r.explanation) << reset_color(inv.color) << "\n";
  }
}

}  // namespace

ExitCode run_team_search(Invocation& inv, const history::SearchQuery& query) {
  auto config = team_configuration(inv);
  if (!config) return report_error(inv, config.error());
  if (inv.args.value("mode").value_or("hybrid") == "semantic")
    inv.err << "cmdai: the team server searches by words (and near spellings), not by meaning\n";
  auto server = team::connect_team(config->team_url);
  if (!server) return report_error(inv, server.error());
  auto results = team::search_team(server->connection, server->schema, query);
  if (!results) return report_error(inv, results.error());
  if (inv.format == OutputFormat::plain) {
    print_plain(inv, *results);
  } else {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& found : *results) {
      auto json = history::result_to_json(found.result);
      json["user"] = found.user;
      json["host"] = found.host;
      out.push_back(std::move(json));
    }
    write_structured(inv, out);
  }
  return results->empty() ? ExitCode::no_match : ExitCode::ok;
}

}  // namespace cmdai::cli
