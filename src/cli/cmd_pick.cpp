// cmdai pick [--lines N] [-- QUERY]: the history picker the shell's Ctrl-R
// opens (cmdai init). It draws on /dev/tty and prints the choice on stdout
// for the shell widget to read:
//   run\n<command>     Enter (shell.enter_runs on): the widget runs it
//   edit\n<command>    Tab (or Enter with shell.enter_runs off): left on the prompt
// and exits 0; Esc, Ctrl-C and Ctrl-G print nothing and exit 1 (the widget
// leaves the line as it was).

#include <algorithm>
#include <ostream>
#include <span>
#include <unordered_set>

#include "cli/invocation.h"
#include "config/configuration.h"
#include "config/validators.h"
#include "history/history_store.h"
#include "history/recent_matches.h"
#include "history/rows.h"
#include "history/search.h"
#include "history/term_list.h"
#include "pipeline/settings.h"
#include "semantic/embedder_factory.h"
#include "semantic/embedding_cache.h"
#include "semantic/hybrid_search.h"
#include "tui/picker_model.h"
#include "tui/picker_screen.h"

namespace cmdai::cli {
namespace {

// Entries the picker lists with no query before duplicates are folded: a
// command run many times is one row. (The search engine's results are one
// per command already.)
constexpr std::size_t k_fold_factor = 4;
// Entries matching the typed words that the ranked search's lexical signal
// ranks (the newest ones; `cmdai search` ranks 300).
constexpr std::size_t k_ranked_candidates = 100;

tui::PickerRow row_of(const CommandHistoryEntry& entry, bool favorite) {
  tui::PickerRow row;
  row.id = entry.id;
  row.command = entry.command;
  row.when = entry.timestamp;
  if (entry.execution_metadata) {
    row.duration = entry.execution_metadata->execution_time;
    row.exit_code = entry.execution_metadata->exit_code;
  }
  if (entry.safety_metadata) row.risk = entry.safety_metadata->risk_level;
  row.directory = entry.working_directory;
  row.favorite =
      favorite || std::find(entry.tags.begin(), entry.tags.end(), history::k_favorite_tag) != entry.tags.end();
  return row;
}

// Adds the row unless its command is already listed; false once the list is full.
bool add_distinct(std::vector<tui::PickerRow>& rows, std::unordered_set<std::string>& seen, tui::PickerRow row,
                  std::size_t limit) {
  if (rows.size() >= limit) return false;
  if (seen.insert(row.command).second) rows.push_back(std::move(row));
  return rows.size() < limit;
}

// The query's words (split at spaces), as recent_matches looks them up.
std::vector<std::string> typed_words(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while ((start = text.find_first_not_of(' ', start)) != std::string::npos) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

// The picker's searches, each mode a filter: the newest commands that
// contain every typed word (history::recent_matches: a walk bounded to the
// newest entries, whose commands it holds in memory for the picker's life,
// so a key reads no table pages for it); when the newest entries hold none
// (and the mode allows any entry), the same engine as `cmdai search` over
// the whole history (words with typo tolerance, the concept lexicon,
// vectors when an embedding model is installed), its term counts kept
// from key to key while no entry is added.
class HistoryPickerSearch {
 public:
  HistoryPickerSearch(Invocation& inv, history::HistoryStore& store, semantic::SemanticSearch& search,
                      semantic::SearchMode mode)
      : m_inv(inv), m_store(store), m_search(search), m_mode(mode) {}

  Result<tui::PickerAnswer> operator()(const tui::PickerQuery& query) {
    auto filters = filters_for(query.mode);
    if (!filters) return fail(filters.error());
    if (query.text.find_first_not_of(' ') == std::string::npos) return newest(*filters, query.limit);
    auto recent = history::recent_matches(m_store, {typed_words(query.text), *filters, query.limit}, m_recent);
    if (!recent) return fail(recent.error());
    if (!recent->empty()) {
      tui::PickerAnswer answer;
      for (const auto& record : *recent) answer.rows.push_back(row_of(record.entry, record.favorite));
      return answer;
    }
    // A mode no entry belongs to (a new directory) has nothing to search.
    auto any = history::any_entry(m_store, *filters);
    if (!any) return fail(any.error());
    if (!*any) return tui::PickerAnswer{};
    auto ranked = ranked_rowids(query, std::move(*filters));
    if (!ranked) return fail(ranked.error());
    auto records = history::records_at(m_store.database(), *ranked);
    if (!records) return fail(records.error());
    tui::PickerAnswer answer{{}, tui::PickerSource::ranked};
    std::unordered_set<std::string> seen;
    for (const auto& record : *records) {
      if (!record) continue;
      if (!add_distinct(answer.rows, seen, row_of(record->entry, record->favorite), query.limit)) break;
    }
    return answer;
  }

 private:
  // The full search's ranking of the query, or the one it gave when the
  // same query was typed before (Backspace after a typo) and no entry was
  // added since.
  Result<std::vector<std::int64_t>> ranked_rowids(const tui::PickerQuery& query, history::SearchFilters filters) {
    const std::string key =
        std::string(tui::to_string(query.mode)) + '\n' + std::to_string(query.limit) + '\n' + query.text;
    auto remembered = m_ranked.find(m_store.database(), key);
    if (!remembered) return fail(remembered.error());
    if (*remembered != nullptr) return **remembered;
    history::SearchQuery search(query.text, query.limit, 0.0, std::move(filters));
    // Bounded for a keystroke: the lexical signal ranks the newest matches
    // of whole words only (the word signal finds prefixes, a few terms each).
    search.candidate_limit = k_ranked_candidates;
    search.prefix_pass = history::PrefixPass::off;
    search.current_directory = m_inv.env.current_dir();
    search.now = m_inv.env.now();
    // The ranking only; the rows read here are the few the picker shows.
    auto found = m_search.search_rowids(search, m_mode, {m_inv.env.now(), m_inv.env.current_dir()});
    if (!found) return fail(found.error());
    m_ranked.remember(key, *found);
    return found;
  }

  Result<history::SearchFilters> filters_for(tui::PickerMode mode) const {
    history::SearchFilters filters;
    switch (mode) {
      case tui::PickerMode::global: break;
      case tui::PickerMode::host: filters.hostname = m_inv.env.host_name(); break;
      case tui::PickerMode::session: {
        auto session = m_inv.env.get_var("CMDAI_SESSION_ID");
        if (!session || session->empty()) {
          return fail(ErrorCode::unavailable,
                      "this shell has no session (cmdai init starts one); ^R for the next mode");
        }
        filters.session_id = *session;
        break;
      }
      case tui::PickerMode::directory: filters.cwd = m_inv.env.current_dir(); break;
      case tui::PickerMode::failed: filters.exit = history::ExitFilter::nonzero; break;
    }
    return filters;
  }

  // No query: the newest entries, one row per command. (The commands the
  // first key walks are read here, before it.)
  Result<tui::PickerAnswer> newest(const history::SearchFilters& filters, std::size_t limit) {
    CMDAI_TRY(m_recent.load(m_store, history::RecentMatchQuery{}.window));
    auto records = m_store.list_records({0, static_cast<std::int64_t>(limit * k_fold_factor)}, filters);
    if (!records) return fail(records.error());
    tui::PickerAnswer answer;
    std::unordered_set<std::string> seen;
    for (const auto& record : *records) {
      if (!add_distinct(answer.rows, seen, row_of(record.entry, record.favorite), limit)) break;
    }
    return answer;
  }

  Invocation& m_inv;
  history::HistoryStore& m_store;
  semantic::SemanticSearch& m_search;
  semantic::SearchMode m_mode;
  history::RecentCommands m_recent;  // the newest entries' commands, walked once per key
  history::RankedAnswers m_ranked;   // the full search's answers to queries typed before
};

// The line the shell had: one line of printable text (a multi-line command
// line's breaks become spaces).
std::string initial_query(std::span<const std::string> words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return text;
}

Result<int> picker_lines(const Invocation& inv, int configured) {
  const auto flag = inv.args.value("lines");
  if (!flag) return configured;
  const auto value = whole_number<std::int64_t>(*flag);
  if (!value || config::check_picker_lines(*value)) {
    return fail(ErrorCode::invalid_argument, "--lines must be 0 (full screen) or a number from 3 to 200");
  }
  return static_cast<int>(*value);
}

bool picker_color(const Invocation& inv, const config::ConfigurationState& state) {
  if (inv.env.get_var("NO_COLOR") || !state.color_output || inv.args.has("no-color")) return false;
  return inv.args.value("color").value_or("auto") != "never";
}

}  // namespace

ExitCode run_pick(Invocation& inv) {
  const auto config = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv)).state;
  auto lines = picker_lines(inv, config.picker_lines);
  if (!lines) return report_error(inv, lines.error());
  auto store =
      history::HistoryStore::open_for_reading(inv.paths.history_db, pipeline::history_options(config, inv.env));
  if (!store) return report_error(inv, store.error());
  // The full search's term lookups (typo checks, word prefixes) answered
  // from memory once this thread has read the index's term list, so no key
  // pays for reading a range of terms; keys before that read them.
  history::TermListReader term_list(inv.paths.history_db);
  // Vectors only from a model on this machine: a server would add a round
  // trip to every key. The model is asked of the embedding agent as a search
  // asks it (one started by the shell integration or an earlier search), and
  // an agent is started when the picker found none.
  auto opened = semantic::open_embedder(inv.env, inv.paths, {},
                                        semantic::agent_use(std::chrono::seconds(config.embed_agent_idle_seconds)));
  semantic::EmbedderChoice choice = opened ? std::move(*opened) : semantic::EmbedderChoice{};
  semantic::EmbeddingCache cache(store->database(), inv.env);
  semantic::SemanticSearch engine(*store, choice.embedder.get(), &cache);
  // Consecutive keys look up the same words.
  engine.set_term_memory(semantic::TermMemory::while_unchanged);
  engine.use_term_list(term_list);
  if (auto loaded = engine.load(inv.env.now()); !loaded) return report_error(inv, loaded.error());
  HistoryPickerSearch search(inv, *store, engine, semantic::SearchMode::hybrid);

  tui::PickerModel model(initial_query(inv.words), std::ref(search), 20);
  tui::PickerScreenOptions options;
  options.view.color = picker_color(inv, config);
  options.view.home = inv.env.home_dir();
  options.view.enter_runs = config.shell_enter_runs;
  options.lines = *lines;
  options.clock = [&inv] { return inv.env.now(); };
  options.favorite = [&store](const std::string& id, bool favorite) {
    return store->set_favorite(id, favorite ? history::Favorite::yes : history::Favorite::no);
  };
  auto chosen = tui::run_picker(model, std::move(options));
  if (!chosen) return report_error(inv, chosen.error());
  if (!*chosen) return ExitCode::failure;
  const auto& [action, command, id] = **chosen;
  inv.out << (action == tui::PickAction::run ? "run" : "edit") << "\n" << command << std::flush;
  // The use count only ranks later searches; the command is already printed.
  if (action == tui::PickAction::run) (void)store->record_use(id);
  return ExitCode::ok;
}

}  // namespace cmdai::cli
