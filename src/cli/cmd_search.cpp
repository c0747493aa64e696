// cmdai search QUERY

#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "core/entity_json.h"
#include "history/history_store.h"
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
  auto results = history::search(*store, search_query);
  if (!results) return report_error(inv, results.error());
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *results) {
      out.push_back({{"entry", to_json(r.entry)},
                     {"similarity_score", r.similarity_score},
                     {"matching_context", r.matching_context},
                     {"explanation", r.explanation}});
    }
    write_structured(inv, out);
    return ExitCode::ok;
  }
  for (const auto& r : *results) {
    inv.out << dim(inv.color) << r.entry.id.substr(0, 8) << reset_color(inv.color) << "  " << r.entry.command << "\n";
  }
  return ExitCode::ok;
}

}  // namespace cmdai::cli
