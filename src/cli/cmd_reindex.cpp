// cmdai history reindex [--all]: fill every history entry's embedding with
// the configured embedding model, showing a progress bar on stderr.

#include <ostream>

#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "config/configuration.h"
#include "history/embeddings.h"
#include "history/history_store.h"
#include "pipeline/embedding_servers.h"
#include "semantic/embedder_factory.h"
#include "semantic/embedding_cache.h"
#include "semantic/reindex.h"
#include "semantic/vector_store.h"

namespace cmdai::cli {
namespace {

constexpr int k_bar_width = 30;

// "[#########.....................]  300/1000  30%" redrawn in place on a
// terminal; on a pipe, one line at the end only.
class ReindexBar {
 public:
  ReindexBar(std::ostream& err, bool terminal) : m_err(err), m_terminal(terminal) {}

  void update(const semantic::ReindexProgress& progress) {
    if (!m_terminal) return;
    draw(progress);
    m_err << std::flush;
  }
  void finish(const semantic::ReindexProgress& progress) {
    draw(progress);
    m_err << "\n";
  }

 private:
  void draw(const semantic::ReindexProgress& p) {
    const double fraction = p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
    const int filled = static_cast<int>(fraction * k_bar_width);
    m_err << (m_terminal ? "\r\033[K" : "") << "[" << std::string(static_cast<std::size_t>(filled), '#')
          << std::string(static_cast<std::size_t>(k_bar_width - filled), '.') << "]  " << p.done << "/" << p.total
          << "  " << static_cast<int>(fraction * 100) << "%";
  }

  std::ostream& m_err;
  bool m_terminal;
};

}  // namespace

ExitCode run_history_reindex(Invocation& inv) {
  const auto config = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv)).state;
  auto choice = semantic::open_embedder(inv.env, inv.paths, pipeline::embedding_servers(config, inv.env, inv.paths));
  if (!choice) return report_error(inv, choice.error());
  for (const auto& problem : choice->problems) inv.err << "cmdai: embedding server not used: " << problem << "\n";
  if (!choice->embedder) {
    return report_error(inv, Error{ErrorCode::unavailable, "no embedding model is installed",
                                   "put a GGUF embedding model (e.g. bge-small) in " + inv.paths.models_dir.string() +
                                       ", set CMDAI_EMBEDDING_MODEL, or pull one into Ollama (ollama pull "
                                       "nomic-embed-text); search works without one"});
  }
  auto store = history::HistoryStore::open(inv.paths.history_db);
  if (!store) return report_error(inv, store.error());
  if (inv.args.has("all")) {
    // Forget which model made the vectors: reindex then clears and redoes all.
    auto cleared = history::forget_embedding_model(store->database());
    if (!cleared) return report_error(inv, cleared.error());
  }
  semantic::EmbeddingCache cache(store->database(), inv.env);
  ReindexBar bar(inv.err, inv.env.is_terminal(2));
  semantic::ReindexProgress last;
  std::stop_source stop;
  InterruptScope interrupts(stop);
  auto stats = semantic::reindex(
      *store, *choice->embedder, cache, inv.env, {},
      [&](const auto& progress) {
        last = progress;
        bar.update(progress);
      },
      stop.get_token());
  bar.finish(last);
  if (!stats) return report_error(inv, stats.error());
  inv.out << "embedded " << stats->embedded << " entries with " << choice->embedder->model_id() << " ("
          << stats->cache_hits << " from the cache";
  if (stats->skipped > 0) inv.out << ", " << stats->skipped << " skipped: text the model cannot read";
  inv.out << ")\n";
  if (stats->model_changed) inv.out << "the previous model's embeddings were replaced\n";
  // Write the index file now, so the next search maps it instead of
  // reading every vector from the database.
  auto index = semantic::open_vector_index(store->database(), choice->embedder->model_id(),
                                           choice->embedder->dimensions(), inv.env.now());
  if (!index) return report_error(inv, index.error());
  for (const auto& notice : index->notices) inv.err << "cmdai: " << notice << "\n";
  return ExitCode::ok;
}

}  // namespace cmdai::cli
