#pragma once
// Search filters: what `cmdai search` and `cmdai history` narrow results by,
// parsed from the command line's words and turned into SQL. Every filter is a
// WHERE clause on the same query that ranks, so nothing is filtered after a
// LIMIT.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/entities.h"
#include "core/error.h"

namespace cmdai::history {

enum class ExitFilter { any, ok, nonzero, code };

struct SearchFilters {
  std::optional<Timestamp> since;   // entries at or after
  std::optional<Timestamp> before;  // entries strictly before
  std::optional<std::string> cwd;   // recorded in this directory or below it
  std::optional<ShellType> shell;
  ExitFilter exit = ExitFilter::any;
  int exit_code = 0;  // for ExitFilter::code
  std::optional<RiskLevel> risk;
  std::optional<std::string> backend;  // backend_used, exactly
  std::optional<std::string> tag;      // one of the entry's tags, exactly
  bool favorites_only = false;
  std::optional<std::string> hostname;    // recorded on this host, exactly
  std::optional<std::string> session_id;  // recorded in this shell session, exactly
};

// The filter flags as the user typed them (unset when not given).
struct FilterArgs {
  std::optional<std::string> since;   // "7d", "12h", "30m", "2w" or an ISO date/time
  std::optional<std::string> before;  // same forms
  std::optional<std::string> cwd;
  std::optional<std::string> shell;
  std::optional<std::string> exit;  // "ok", "nonzero" or a number
  std::optional<std::string> risk;
  std::optional<std::string> backend;
  std::optional<std::string> tag;
  bool favorites = false;
};

// Errors: invalid_argument naming the flag and the accepted forms.
Result<SearchFilters> parse_filters(const FilterArgs& args, Timestamp now);

// "7d" (days), "12h", "30m", "45s", "2w" before now, or an ISO-8601 date or
// date-time (core/time.h).
Result<Timestamp> parse_when(std::string_view text, Timestamp now);

// SQL for the filters over the command_history table aliased as `alias`:
// " AND ..." clauses with parameters numbered from first_parameter.
struct SqlFilter {
  std::string where;
  std::vector<std::variant<std::string, std::int64_t>> parameters;
};
SqlFilter to_sql(const SearchFilters& filters, std::string_view alias, int first_parameter);

}  // namespace cmdai::history
