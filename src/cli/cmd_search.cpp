// cmdai search QUERY

#include <cstdlib>
#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "core/entity_json.h"
#include "history/filters.h"
#include "history/history_store.h"
#include "history/record_json.h"
#include "history/search.h"

namespace cmdai::cli {

ExitCode run_search(Invocation& inv) {
  std::string query;
  for (const auto& word : inv.words) query += (query.empty() ? "" : " ") + word;
  if (query.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "search needs a query", "cmdai search 'tar'"});
  }
  auto store = history::HistoryStore::open(inv.paths.history_db);
  if (!store) return report_error(inv, store.error());
  history::SearchQuery search_query;
  search_query.text = query;
  search_query.max_results = 10;
  if (auto limit = inv.args.value("limit")) search_query.max_results = std::strtoul(limit->c_str(), nullptr, 10);
  const history::FilterArgs filter_args{inv.args.value("since"),   inv.args.value("before"), inv.args.value("cwd"),
                                        inv.args.value("shell"),   inv.args.value("exit"),   inv.args.value("risk"),
                                        inv.args.value("backend"), inv.args.value("tag"),    inv.args.has("favorites")};
  auto filters = history::parse_filters(filter_args, inv.env.now());
  if (!filters) return report_error(inv, filters.error());
  search_query.filters = std::move(*filters);
  search_query.current_directory = inv.env.current_dir();
  search_query.now = inv.env.now();
  auto results = history::search(*store, search_query);
  if (!results) return report_error(inv, results.error());
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *results) out.push_back(history::result_to_json(r));
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& r : *results) {
    inv.out << dim(inv.color) << r.entry.id.substr(0, 8) << reset_color(inv.color) << "  "
            << history::printable_utf8(r.entry.command) << "\n";
  }
  return ExitCode::ok;
}

}  // namespace cmdai::cli
