#pragma once
// cmdai team push|status|forget ID, and search --team (cmd_team.cpp,
// cmd_team_search.cpp): the team history on a PostgreSQL server (src/team).

#include "cli/invocation.h"
#include "history/search.h"

namespace cmdai::cli {

ExitCode run_team(Invocation& invocation);
// The configuration for a team command: a team.* value the loader rejected
// (a URL with a password, a relative excluded directory) is an error here,
// not a warning, so nothing is pushed under settings the user did not mean.
Result<config::ConfigurationState> team_configuration(Invocation& invocation);
// search --team: query parsed by cmd_search.cpp, with its filters.
ExitCode run_team_search(Invocation& invocation, const history::SearchQuery& query);

// With team.auto_push on and a team server configured: starts
// `cmdai team push` as a child in its own session, its output discarded,
// and returns at once (nobody waits for it; it is reaped by init).
void push_in_background(const config::ConfigurationState& config);

}  // namespace cmdai::cli
