// cmdai search --team QUERY [filters] [--json]: the team history on the
// server, with who ran each command and where.

#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>

#include "cli/cmd_team.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "history/record_json.h"
#include "pipeline/embedding_servers.h"
#include "semantic/embedder_factory.h"
#include "semantic/hybrid_search.h"
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

// The query's vector from this machine's embedding model (as search uses
// it); nullopt, with the reason on stderr, when there is none.
std::optional<team::QueryVector> query_vector(Invocation& inv, const config::ConfigurationState& config,
                                              const std::string& text) {
  auto opened = semantic::open_embedder(inv.env, inv.paths, pipeline::embedding_servers(config, inv.env, inv.paths),
                                        semantic::agent_use(std::chrono::seconds(config.embed_agent_idle_seconds)));
  if (!opened || !opened->embedder) {
    inv.err << "cmdai: no embedding model here ("
            << (opened ? std::string("none configured or found") : opened.error().describe())
            << "); searching the team history by words\n";
    return std::nullopt;
  }
  auto& embedder = *opened->embedder;
  auto vectors = embedder.embed(std::vector<std::string>{text});
  if (!vectors || vectors->size() != 1) {
    inv.err << "cmdai: the query was not embedded ("
            << (vectors ? std::string("no vector came back") : vectors.error().describe())
            << "); searching the team history by words\n";
    return std::nullopt;
  }
  return team::QueryVector{{embedder.model_id(), embedder.dimensions()}, std::move(vectors->front())};
}

// By meaning where the server and this machine can (hybrid and semantic
// modes), else by words.
Result<std::vector<team::TeamSearchResult>> search(Invocation& inv, const config::ConfigurationState& config,
                                                   team::TeamServer& server, const history::SearchQuery& query) {
  const auto mode = semantic::parse_search_mode(inv.args.value("mode").value_or("hybrid"));
  if (!mode) return fail(mode.error());
  if (*mode == semantic::SearchMode::lexical) return team::search_team(server.connection, server.schema, query);
  if (!server.schema.vectors) {
    inv.err << "cmdai: the team server has no pgvector; searching by words (and near spellings)\n";
    return team::search_team(server.connection, server.schema, query);
  }
  auto vector = query_vector(inv, config, query.text);
  if (!vector) return team::search_team(server.connection, server.schema, query);
  auto found = team::search_team_by_meaning(server.connection, server.schema, query, *vector,
                                            *mode == semantic::SearchMode::hybrid);
  if (!found) return fail(found.error());
  if (*found) return std::move(**found);
  inv.err << "cmdai: no vectors from " << terminal_text(vector->model.id)
          << " on the team server yet (cmdai team push sends them); searching by words\n";
  return team::search_team(server.connection, server.schema, query);
}

}  // namespace

ExitCode run_team_search(Invocation& inv, const history::SearchQuery& query) {
  auto config = team_configuration(inv);
  if (!config) return report_error(inv, config.error());
  auto server = team::connect_team(config->team_url);
  if (!server) return report_error(inv, server.error());
  auto results = search(inv, *config, *server, query);
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
