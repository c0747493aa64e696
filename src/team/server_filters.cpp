#include "team/server_filters.h"

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace cmdai::team {

std::string like_literal(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

ServerFilter to_server_sql(const history::SearchFilters& filters, int first_parameter) {
  ServerFilter out;
  auto param = [&](std::string value) {
    out.parameters.emplace_back(std::move(value));
    return "$" + std::to_string(first_parameter + static_cast<int>(out.parameters.size()) - 1);
  };
  if (filters.since) out.where += " AND \"timestamp\" >= " + param(format_iso8601(*filters.since)) + "::timestamptz";
  if (filters.before) out.where += " AND \"timestamp\" < " + param(format_iso8601(*filters.before)) + "::timestamptz";
  if (filters.cwd && *filters.cwd != "/") {
    const std::string exact = param(*filters.cwd);
    out.where += " AND (working_directory = " + exact + " OR working_directory LIKE " +
                 param(like_literal(*filters.cwd) + "/%") + ")";
  }
  if (filters.shell) out.where += " AND shell_type = " + param(std::string(to_string(*filters.shell)));
  switch (filters.exit) {
    case history::ExitFilter::any: break;
    case history::ExitFilter::ok: out.where += " AND exit_code = 0"; break;
    case history::ExitFilter::nonzero: out.where += " AND exit_code <> 0"; break;
    case history::ExitFilter::code:
      out.where += " AND exit_code = " + param(std::to_string(filters.exit_code)) + "::integer";
      break;
  }
  if (filters.risk) out.where += " AND risk_level = " + param(std::string(to_string(*filters.risk)));
  if (filters.backend) out.where += " AND backend_used = " + param(*filters.backend);
  if (filters.tag) out.where += " AND tags @> " + param(nlohmann::json::array({*filters.tag}).dump()) + "::jsonb";
  if (filters.favorites_only) out.where += " AND favorite";
  return out;
}

}  // namespace cmdai::team
