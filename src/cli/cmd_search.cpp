// cmdai search QUERY [--team] [--mode lexical|semantic|hybrid] [--since WHEN] [--before WHEN]
//                    [--risk LEVEL] [--tag TAG] [--here] [--threshold X] [--limit N] [--json]

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "cli/cmd_team.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "history/filters.h"
#include "history/history_store.h"
#include "history/record_json.h"
#include "history/search.h"
#include "pipeline/embedding_servers.h"
#include "semantic/embedder_factory.h"
#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "semantic/reindex.h"

namespace cmdai::cli {
namespace {

Result<history::SearchQuery> read_query(const Invocation& inv, std::string text) {
  history::SearchQuery query;
  query.text = std::move(text);
  query.max_results = 10;
  if (auto limit = inv.args.value("limit")) {
    const auto value = whole_number<std::size_t>(*limit);
    if (!value || *value == 0 || *value > 10'000) {
      return fail(ErrorCode::invalid_argument, "--limit must be a number from 1 to 10000");
    }
    query.max_results = *value;
  }
  if (auto threshold = inv.args.value("threshold")) {
    char* end = nullptr;
    const double value = std::strtod(threshold->c_str(), &end);
    if (end != threshold->c_str() + threshold->size() || !(value >= 0.0 && value <= 1.0)) {
      return fail(ErrorCode::invalid_argument, "--threshold must be a number from 0 to 1");
    }
    query.similarity_threshold = value;
  }
  // --cwd DIR: that directory or below; --here: the current directory.
  std::optional<std::string> cwd = inv.args.value("cwd");
  if (!cwd && inv.args.has("here")) cwd = inv.env.current_dir();
  // --source NAME (an agent cmdai guard checked, shell, a backend) is --backend's filter.
  const auto source = inv.args.has("source") ? inv.args.value("source") : inv.args.value("backend");
  const history::FilterArgs filter_args{
      inv.args.value("since"),  inv.args.value("before"), cwd,    inv.args.value("shell"),
      inv.args.value("exit"),   inv.args.value("risk"),   source, inv.args.value("tag"),
      inv.args.has("favorites")};
  auto filters = history::parse_filters(filter_args, inv.env.now());
  if (!filters) return fail(filters.error());
  query.filters = std::move(*filters);
  query.current_directory = inv.env.current_dir();
  query.now = inv.env.now();
  return query;
}

// Results on stdout (an array in JSON/YAML); notices always on stderr, so
// structured output stays machine-readable.
void print_results(Invocation& inv, const semantic::SearchOutcome& outcome) {
  for (const auto& notice : outcome.notices) inv.err << "cmdai: " << terminal_text(notice) << "\n";
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : outcome.results) out.push_back(history::result_to_json(r));
    write_structured(inv, out);
    return;
  }
  if (outcome.results.empty()) inv.err << "cmdai: no matching history entries\n";
  for (const auto& r : outcome.results) {
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", r.similarity_score);
    inv.out << dim(inv.color) << r.entry.id.substr(0, 8) << reset_color(inv.color) << "  " << bold(inv.color)
            << terminal_text(r.entry.command) << reset_color(inv.color) << "\n"
            << dim(inv.color) << "          " << score << "  " << terminal_text(r.explanation) << reset_color(inv.color)
            << "\n";
  }
}

}  // namespace

ExitCode run_search(Invocation& inv) {
  std::string text;
  for (const auto& word : inv.words) text += (text.empty() ? "" : " ") + word;
  if (text.empty()) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "search needs a query", "cmdai search 'free space'"});
  }
  auto mode = semantic::parse_search_mode(inv.args.value("mode").value_or("hybrid"));
  if (!mode) return report_error(inv, mode.error());
  auto query = read_query(inv, std::move(text));
  if (!query) return report_error(inv, query.error());
  if (inv.args.has("team")) return run_team_search(inv, *query);
  auto store = history::HistoryStore::open_for_reading(inv.paths.history_db);
  if (!store) return report_error(inv, store.error());
  semantic::EmbedderChoice choice;
  std::vector<std::string> notices;
  if (*mode != semantic::SearchMode::lexical) {
    const auto config = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv)).state;
    // A local model is asked of the embedding agent, which this cmdai starts
    // when none answers (search.embed_agent_idle; 0: none).
    auto opened = semantic::open_embedder(inv.env, inv.paths, pipeline::embedding_servers(config, inv.env, inv.paths),
                                          semantic::agent_use(std::chrono::seconds(config.embed_agent_idle_seconds)));
    if (opened) {
      choice = std::move(*opened);
      for (const auto& problem : choice.problems) notices.push_back("embedding server not used: " + problem);
    } else {
      notices.push_back("embedding model not used: " + opened.error().describe());
    }
  }
  semantic::EmbeddingCache cache(store->database(), inv.env);
  semantic::SemanticSearch search(*store, choice.embedder.get(), &cache);
  // A query never asked before needs the model: it loads on another thread
  // while the pending entries, the vector index and the text signals are read.
  if (*mode != semantic::SearchMode::lexical) {
    if (auto started = search.prefetch_query_vector(query->text); !started) return report_error(inv, started.error());
  }
  if (choice.embedder) {
    // Generated commands are embedded at write time (pipeline); entries the
    // shell hooks recorded, or whose embedding failed, are caught up here.
    auto pending = semantic::embed_pending_if_indexed(*store, *choice.embedder, cache, inv.env);
    if (!pending) notices.push_back("new entries were not embedded: " + pending.error().describe());
  }
  if (auto loaded = search.load(); !loaded) return report_error(inv, loaded.error());
  const semantic::RankingContext context{inv.env.now(), inv.args.value("cwd").value_or(inv.env.current_dir())};
  auto outcome = search.search(*query, *mode, context);
  if (!outcome) return report_error(inv, outcome.error());
  outcome->notices.insert(outcome->notices.begin(), notices.begin(), notices.end());
  print_results(inv, *outcome);
  return outcome->results.empty() ? ExitCode::no_match : ExitCode::ok;
}

}  // namespace cmdai::cli
