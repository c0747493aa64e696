// cmdai team push|status|forget ID

#include "cli/cmd_team.h"

#include <ostream>
#include <vector>

#include "cli/output.h"
#include "config/configuration.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "history/embeddings.h"
#include "history/history_store.h"
#include "history/push_marks.h"
#include "pipeline/settings.h"
#include "team/forget.h"
#include "team/push.h"
#include "team/push_vectors.h"
#include "team/team_server.h"

namespace cmdai::cli {
namespace {

struct TeamContext {
  config::ConfigurationState config;
  team::TeamServer server;
};

Result<TeamContext> open_team(Invocation& inv) {
  auto config = team_configuration(inv);
  if (!config) return fail(config.error());
  auto server = team::connect_team(config->team_url);
  if (!server) return fail(server.error());
  return TeamContext{std::move(*config), std::move(*server)};
}

team::PushPolicy push_policy(const config::ConfigurationState& config, const Env& env) {
  return {pipeline::history_options(config, env).privacy, config.team_exclude_dirs};
}

// The entries' vectors, once the entries are there: only to a server with
// pgvector, and only when this history is indexed by a model.
Result<team::VectorPushReport> push_vectors(Invocation& inv, history::HistoryStore& store, const TeamContext& team,
                                            const std::vector<team::Connection*>& connections) {
  if (!team.server.schema.vectors) return team::VectorPushReport{};
  auto model = history::recorded_embedding_model(store.database());
  if (!model) return fail(model.error());
  if (!*model || (*model)->dimensions == 0) return team::VectorPushReport{};
  return team::push_vectors(store, connections, team.server.key, **model, inv.env.now());
}

ExitCode run_push(Invocation& inv) {
  auto team = open_team(inv);
  if (!team) return report_error(inv, team.error());
  auto store = history::HistoryStore::open(inv.paths.history_db, pipeline::history_options(team->config, inv.env));
  if (!store) return report_error(inv, store.error());
  const team::PushOptions options{inv.env.user_name(), inv.env.host_name(), push_policy(team->config, inv.env),
                                  team::k_push_batch, inv.env.now()};
  // More connections let the server insert several batches at once; a
  // push goes on with those it could open.
  std::vector<team::Connection> more;
  more.reserve(team::k_push_connections);  // connections points into it
  std::vector<team::Connection*> connections{&team->server.connection};
  while (connections.size() < team::k_push_connections) {
    auto another = team::Connection::open(team->config.team_url);
    if (!another) break;
    more.push_back(std::move(*another));
    connections.push_back(&more.back());
  }
  auto report = team::push(*store, connections, team->server.key, options);
  if (!report) return report_error(inv, report.error());
  auto vectors = push_vectors(inv, *store, *team, connections);
  if (!vectors) return report_error(inv, vectors.error());
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, {{"server", team->server.key},
                           {"sent", report->sent},
                           {"new_on_server", report->new_on_server},
                           {"kept_back", report->kept_back},
                           {"vectors_sent", vectors->sent}});
    return ExitCode::ok;
  }
  inv.out << "pushed " << report->sent << " entries to " << terminal_text(team->server.key) << " ("
          << report->new_on_server << " new there)";
  if (report->kept_back > 0) inv.out << "; " << report->kept_back << " kept on this machine by privacy settings";
  if (vectors->sent > 0) inv.out << "; " << vectors->sent << " entry vectors for search by meaning";
  inv.out << "\n";
  return ExitCode::ok;
}

ExitCode run_status(Invocation& inv) {
  auto team = open_team(inv);
  if (!team) return report_error(inv, team.error());
  auto store = history::HistoryStore::open(inv.paths.history_db, pipeline::history_options(team->config, inv.env));
  if (!store) return report_error(inv, store.error());
  auto pending = team::pending_count(*store, team->server.key, push_policy(team->config, inv.env));
  if (!pending) return report_error(inv, pending.error());
  auto summary = history::push_summary(*store, team->server.key);
  if (!summary) return report_error(inv, summary.error());
  auto rows = team->server.connection.query(
      "SELECT count(*), count(*) FILTER (WHERE user_name = $1 AND hostname = $2) FROM command_history",
      {inv.env.user_name(), inv.env.host_name()});
  if (!rows) return report_error(inv, rows.error());
  const std::string last = summary->last_push ? format_iso8601(*summary->last_push) : "never";
  const auto& schema = team->server.schema;
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, {{"server", team->server.key},
                           {"schema_version", schema.applied.empty() ? 0 : schema.applied.back()},
                           {"typo_tolerance", schema.typo_tolerance},
                           {"vectors", schema.vectors},
                           {"pending", *pending},
                           {"last_push", summary->last_push ? nlohmann::json(last) : nlohmann::json(nullptr)},
                           {"server_entries", rows->integer(0, 0)},
                           {"your_entries", rows->integer(0, 1)}});
    return ExitCode::ok;
  }
  inv.out << "server:        " << terminal_text(team->server.key) << " (schema "
          << (schema.applied.empty() ? 0 : schema.applied.back())
          << (schema.typo_tolerance ? ", typo tolerance" : ", no typo tolerance")
          << (schema.vectors ? ", search by meaning" : ", no pgvector: words only") << ")\n"
          << "pending:       " << *pending << " entries to push\n"
          << "last push:     " << last << "\n"
          << "on the server: " << rows->integer(0, 0) << " entries, " << rows->integer(0, 1) << " from "
          << terminal_text(inv.env.user_name() + "@" + inv.env.host_name()) << "\n";
  return ExitCode::ok;
}

ExitCode run_forget(Invocation& inv) {
  if (inv.words.size() != 2) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "team forget needs one entry id",
                                   "cmdai team forget ID (the id search --team shows)"});
  }
  auto team = open_team(inv);
  if (!team) return report_error(inv, team.error());
  auto removed =
      team::forget(team->server.connection, inv.words[1], team::Owner{inv.env.user_name(), inv.env.host_name()});
  if (!removed) return report_error(inv, removed.error());
  inv.out << "removed " << *removed << " from the team server\n";
  return ExitCode::ok;
}

}  // namespace

Result<config::ConfigurationState> team_configuration(Invocation& inv) {
  auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  for (const auto& warning : loaded.warnings) {
    if (warning.find("team.") != std::string::npos || warning.find("CMDAI_TEAM_") != std::string::npos)
      return fail(ErrorCode::invalid_argument, warning);
  }
  return std::move(loaded.state);
}

ExitCode run_team(Invocation& inv) {
  const std::string action = inv.words.empty() ? "" : inv.words[0];
  if (action == "push" && inv.words.size() == 1) return run_push(inv);
  if (action == "status" && inv.words.size() == 1) return run_status(inv);
  if (action == "forget") return run_forget(inv);
  return report_error(inv, Error{ErrorCode::invalid_argument,
                                 action.empty() ? "team needs an action" : "unknown team action '" + action + "'",
                                 "cmdai team push|status|forget ID"});
}

}  // namespace cmdai::cli
