// cmdai eval FILE.tsv: every request of an evaluation set generated as
// `cmdai REQUEST` would generate it (same routing, fallback and validation),
// never run and never stored in history; each answer is judged against the
// row's accept_regex and the scores printed.

#include <chrono>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>

#include "cli/generate_options.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "eval/runner.h"
#include "pipeline/command_pipeline.h"
#include "routing/model_info.h"

namespace cmdai::cli {
namespace {

constexpr std::size_t k_max_jobs = 64;

Result<std::size_t> jobs_option(const Invocation& inv) {
  const auto text = inv.args.value("jobs");
  if (!text) return std::size_t{1};
  const auto jobs = whole_number<std::size_t>(*text);
  if (!jobs || *jobs == 0 || *jobs > k_max_jobs) {
    return fail(ErrorCode::invalid_argument, "--jobs takes a number from 1 to " + std::to_string(k_max_jobs),
                "e.g. --jobs 4");
  }
  return *jobs;
}

// One pipeline per worker: a pipeline serves one request at a time.
class Workers {
 public:
  Workers(Invocation& inv, const config::ConfigurationState& config, pipeline::PipelineOptions options,
          std::size_t jobs)
      : m_options(std::move(options)) {
    m_options.record_history = false;
    for (std::size_t i = 0; i < jobs; ++i) {
      m_pipelines.push_back(std::make_unique<pipeline::CommandPipeline>(
          inv.env, inv.paths, config, backend_factory(inv), routing::http_model_info_probe()));
    }
  }

  eval::Generated generate(const eval::EvalRow& row, std::size_t worker, std::stop_token stop) {
    eval::Generated out;
    const auto start = std::chrono::steady_clock::now();
    auto result = m_pipelines[worker]->run(
        row.request, m_options, [](const generation::StreamEvent&) {}, stop);
    out.latency = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
    if (!result) {
      out.note = result.error().message;
      return out;
    }
    out.command = result->generation.command;
    out.risk_level = result->validation.risk_level;
    out.backend_used = result->backend_used;
    out.unverified = result->validation.unverified;
    return out;
  }

 private:
  pipeline::PipelineOptions m_options;
  std::vector<std::unique_ptr<pipeline::CommandPipeline>> m_pipelines;
};

std::string percent(const eval::Tally& t, std::size_t part) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << 100.0 * t.share(part) << "%";
  return out.str();
}

std::string millis(Micros duration) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << to_millis(duration) << " ms";
  return out.str();
}

void print_row(Invocation& inv, const eval::RowResult& r) {
  const auto& g = r.generated;
  inv.out << std::left << std::setw(8) << to_string(r.verdict) << " " << terminal_text(r.row->id) << "  "
          << terminal_text(r.row->request);
  if (g.command) {
    inv.out << "\n           -> " << terminal_text(*g.command) << "  [" << to_string(g.risk_level) << ", "
            << terminal_text(g.backend_used) << "]";
  } else if (!g.note.empty()) {
    inv.out << "\n           (" << terminal_text(g.note) << ")";
  }
  inv.out << "\n";
  if (r.under_flagged) {
    inv.out << "           rated " << to_string(g.risk_level) << ", below its min_risk " << to_string(*r.row->min_risk)
            << "\n";
  }
  for (const auto& reason : g.unverified) inv.out << "           unverified: " << terminal_text(reason) << "\n";
  if (!r.match_error.empty()) inv.out << "           " << terminal_text(r.match_error) << "\n";
}

void print_tally(Invocation& inv, const std::string& name, const eval::Tally& t) {
  inv.out << std::left << std::setw(16) << name << std::right << std::setw(6) << t.total << std::setw(9)
          << percent(t, t.correct) << std::setw(9) << percent(t, t.wrong) << std::setw(9) << percent(t, t.refused)
          << "\n";
}

std::map<std::string, std::size_t> backends_used(const std::vector<eval::RowResult>& results) {
  std::map<std::string, std::size_t> counts;
  for (const auto& r : results) {
    if (r.generated.command) ++counts[r.generated.backend_used];
  }
  return counts;
}

void print_plain(Invocation& inv, const eval::EvalSet& set, const std::vector<eval::RowResult>& results) {
  for (const auto& r : results) print_row(inv, r);
  const auto summary = eval::summarize(results);
  inv.out << "\n" << terminal_text(set.name) << ": " << summary.all.total << " requests\n";
  inv.out << std::left << std::setw(16) << "category" << std::right << std::setw(6) << "rows" << std::setw(9)
          << "correct" << std::setw(9) << "wrong" << std::setw(9) << "refused"
          << "\n";
  if (summary.categories.size() > 1 || !summary.categories.begin()->first.empty()) {
    for (const auto& [category, tally] : summary.categories) print_tally(inv, terminal_text(category), tally);
  }
  print_tally(inv, "all", summary.all);
  inv.out << "latency per request: p50 " << millis(summary.p50_latency) << ", p95 " << millis(summary.p95_latency)
          << "\n";
  if (summary.dangerous > 0) {
    inv.out << "destructive requests (min_risk): " << summary.dangerous << ", answered correctly "
            << summary.dangerous_correct << ", rated below their min_risk " << summary.under_flagged << "\n";
  }
  inv.out << "answered by:";
  for (const auto& [backend, count] : backends_used(results)) inv.out << " " << terminal_text(backend) << " " << count;
  inv.out << "\n";
}

nlohmann::json tally_json(const eval::Tally& t) {
  return {{"total", t.total}, {"correct", t.correct}, {"wrong", t.wrong}, {"refused", t.refused}};
}

nlohmann::json row_json(const eval::RowResult& r) {
  const auto& g = r.generated;
  nlohmann::json row{{"id", r.row->id},
                     {"category", r.row->category},
                     {"request", r.row->request},
                     {"command", g.command ? nlohmann::json(*g.command) : nlohmann::json(nullptr)},
                     {"verdict", to_string(r.verdict)},
                     {"risk_level", g.command ? nlohmann::json(to_string(g.risk_level)) : nlohmann::json(nullptr)},
                     {"latency_ms", to_millis(g.latency)},
                     {"backend_used", g.command ? nlohmann::json(g.backend_used) : nlohmann::json(nullptr)},
                     {"min_risk", r.row->min_risk ? nlohmann::json(to_string(*r.row->min_risk)) : nullptr},
                     {"under_flagged", r.under_flagged},
                     {"unverified", g.unverified}};
  if (!g.note.empty()) row["error"] = g.note;
  if (!r.match_error.empty()) row["match_error"] = r.match_error;
  return row;
}

nlohmann::json eval_json(const eval::EvalSet& set, const std::vector<eval::RowResult>& results) {
  const auto summary = eval::summarize(results);
  nlohmann::json out = tally_json(summary.all);
  out["file"] = set.name;
  nlohmann::json categories = nlohmann::json::object();
  for (const auto& [category, tally] : summary.categories) categories[category] = tally_json(tally);
  out["categories"] = categories;
  out["latency_ms"] = {{"p50", to_millis(summary.p50_latency)}, {"p95", to_millis(summary.p95_latency)}};
  out["dangerous"] = {
      {"total", summary.dangerous}, {"correct", summary.dangerous_correct}, {"under_flagged", summary.under_flagged}};
  out["backends"] = backends_used(results);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : results) rows.push_back(row_json(r));
  out["rows"] = rows;
  return out;
}

}  // namespace

ExitCode run_eval(Invocation& inv) {
  if (inv.words.size() != 1) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "eval needs one file",
                                   "cmdai eval bench/eval/dev.tsv [--backend B] [--json] [--jobs N]"});
  }
  auto jobs = jobs_option(inv);
  if (!jobs) return report_error(inv, jobs.error());
  auto set = eval::load_eval_set(inv.words[0]);
  if (!set) return report_error(inv, set.error());
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, generation_overrides(inv));
  for (const auto& warning : loaded.warnings) inv.err << "cmdai: warning: " << terminal_text(warning) << "\n";
  auto options = pipeline_options(inv);
  if (!options) return report_error(inv, options.error());

  Workers workers(inv, loaded.state, std::move(*options), *jobs);
  std::stop_source stop;
  std::vector<eval::RowResult> results;
  {
    InterruptScope interrupts(stop);
    results = eval::run_rows(
        *set, *jobs,
        [&](const eval::EvalRow& row, std::size_t w) { return workers.generate(row, w, stop.get_token()); },
        stop.get_token());
  }
  if (stop.stop_requested()) {
    return report_error(inv, Error{ErrorCode::cancelled,
                                   "evaluation interrupted after " + std::to_string(results.size()) + " of " +
                                       std::to_string(set->rows.size()) + " rows",
                                   ""});
  }
  if (inv.format == OutputFormat::plain) {
    print_plain(inv, *set, results);
  } else {
    write_structured(inv, eval_json(*set, results));
  }
  return ExitCode::ok;
}

}  // namespace cmdai::cli
