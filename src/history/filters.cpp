#include "history/filters.h"

#include <charconv>

#include "core/time.h"

namespace cmdai::history {
namespace {

Result<std::optional<Timestamp>> optional_when(const std::optional<std::string>& text, std::string_view flag,
                                               Timestamp now) {
  if (!text) return std::optional<Timestamp>{};
  auto when = parse_when(*text, now);
  if (!when) {
    return fail(ErrorCode::invalid_argument, "--" + std::string(flag) + " '" + *text + "' is not a time",
                "use 7d, 12h, 30m, 2w or a date like 2026-11-01");
  }
  return std::optional<Timestamp>(*when);
}

Result<void> parse_exit(const std::string& text, SearchFilters& filters) {
  if (text == "ok" || text == "success") {
    filters.exit = ExitFilter::ok;
    return {};
  }
  if (text == "nonzero" || text == "fail" || text == "failed") {
    filters.exit = ExitFilter::nonzero;
    return {};
  }
  int code = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return fail(ErrorCode::invalid_argument, "--exit '" + text + "' is not an exit status", "use ok, nonzero or N");
  }
  filters.exit = ExitFilter::code;
  filters.exit_code = code;
  return {};
}

// Without trailing slashes ("/srv/app/" and "/srv/app" are the same place).
std::string directory(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

Result<Timestamp> parse_when(std::string_view text, Timestamp now) {
  if (text.size() >= 2) {
    long long amount = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, amount);
    if (ec == std::errc{} && end == text.data() + text.size() - 1 && amount >= 0) {
      using std::chrono::seconds;
      switch (text.back()) {
        case 's': return now - seconds{amount};
        case 'm': return now - seconds{amount * 60};
        case 'h': return now - seconds{amount * 3600};
        case 'd': return now - seconds{amount * 86400};
        case 'w': return now - seconds{amount * 7 * 86400};
        default: break;
      }
    }
  }
  return parse_iso8601(text);
}

Result<SearchFilters> parse_filters(const FilterArgs& args, Timestamp now) {
  SearchFilters filters;
  auto since = optional_when(args.since, "since", now);
  if (!since) return fail(since.error());
  filters.since = *since;
  auto before = optional_when(args.before, "before", now);
  if (!before) return fail(before.error());
  filters.before = *before;
  if (args.cwd) filters.cwd = directory(*args.cwd);
  if (args.shell) {
    auto shell = parse_shell_type(*args.shell);
    if (!shell)
      return fail(ErrorCode::invalid_argument, "--shell '" + *args.shell + "' is not a shell",
                  "use bash, zsh, fish, sh or powershell");
    filters.shell = *shell;
  }
  if (args.exit) CMDAI_TRY(parse_exit(*args.exit, filters));
  if (args.risk) {
    auto risk = parse_risk_level(*args.risk);
    if (!risk)
      return fail(ErrorCode::invalid_argument, "--risk '" + *args.risk + "' is not a risk level",
                  "use safe, moderate, high or critical");
    filters.risk = *risk;
  }
  filters.backend = args.backend;
  filters.tag = args.tag;
  filters.favorites_only = args.favorites;
  return filters;
}

SqlFilter to_sql(const SearchFilters& filters, std::string_view alias, int first_parameter) {
  SqlFilter out;
  const std::string a(alias);
  auto param = [&](std::variant<std::string, std::int64_t> value) {
    out.parameters.push_back(std::move(value));
    return "?" + std::to_string(first_parameter + static_cast<int>(out.parameters.size()) - 1);
  };
  // ISO-8601 strings of one fixed width sort like the times they name.
  if (filters.since) out.where += " AND " + a + ".timestamp >= " + param(format_iso8601(*filters.since));
  if (filters.before) out.where += " AND " + a + ".timestamp < " + param(format_iso8601(*filters.before));
  if (filters.cwd && *filters.cwd != "/") {
    // The directory itself, or anything under "dir/" (a range the index serves; '0' follows '/').
    const std::string exact = param(*filters.cwd);
    const std::string low = param(*filters.cwd + "/");
    const std::string high = param(*filters.cwd + "0");
    out.where += " AND (" + a + ".working_directory = " + exact + " OR (" + a + ".working_directory >= " + low +
                 " AND " + a + ".working_directory < " + high + "))";
  }
  if (filters.shell) out.where += " AND " + a + ".shell_type = " + param(std::string(to_string(*filters.shell)));
  switch (filters.exit) {
    case ExitFilter::any: break;
    case ExitFilter::ok: out.where += " AND " + a + ".exit_code = 0"; break;
    // "<> 0" is the condition of the index of failed entries
    // (command_history_failed): written out, it lets SQLite read that index.
    case ExitFilter::nonzero: out.where += " AND " + a + ".exit_code <> 0"; break;
    case ExitFilter::code:
      out.where += " AND " + a + ".exit_code = " + param(std::int64_t{filters.exit_code});
      if (filters.exit_code != 0) out.where += " AND " + a + ".exit_code <> 0";
      break;
  }
  if (filters.risk) out.where += " AND " + a + ".risk_level = " + param(std::string(to_string(*filters.risk)));
  if (filters.backend) out.where += " AND " + a + ".backend_used = " + param(*filters.backend);
  if (filters.tag) {
    out.where +=
        " AND EXISTS (SELECT 1 FROM json_each(" + a + ".tags) WHERE json_each.value = " + param(*filters.tag) + ")";
  }
  if (filters.favorites_only) out.where += " AND " + a + ".favorite = 1";
  if (filters.hostname) out.where += " AND " + a + ".hostname = " + param(*filters.hostname);
  if (filters.session_id) out.where += " AND " + a + ".session_id = " + param(*filters.session_id);
  return out;
}

}  // namespace cmdai::history
