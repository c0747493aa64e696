#pragma once
// Search filters (history/filters.h: the same flags as local search) as a
// PostgreSQL WHERE clause over the server's command_history. The local
// translation (history::to_sql) is SQLite's dialect: ?N parameters, JSON
// tags through json_each, byte-order ranges for directories; here
// parameters are $N text values, tags a JSONB containment and directories
// a LIKE prefix the text_pattern_ops index serves.

#include <string>
#include <vector>

#include "history/filters.h"
#include "team/connection.h"

namespace cmdai::team {

struct ServerFilter {
  std::string where;                  // " AND ..." clauses
  std::vector<Parameter> parameters;  // $first .. in order
};

ServerFilter to_server_sql(const history::SearchFilters& filters, int first_parameter);

// text with LIKE's wildcards and escape character escaped (ESCAPE '\').
std::string like_literal(std::string_view text);

}  // namespace cmdai::team
