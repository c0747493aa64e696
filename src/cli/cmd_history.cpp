// cmdai history list|show|delete|favorite|unfavorite|tag|untag|replay|cleanup|stats|export|import

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <ostream>
#include <sstream>

#include "cli/execute.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "cli/shell_history_import.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "core/utf8.h"
#include "history/foreign_history.h"
#include "history/history_store.h"
#include "history/import.h"
#include "history/record_json.h"
#include "history/stats.h"
#include "pipeline/settings.h"
#include "safety/validator.h"

namespace cmdai::cli {
namespace {

constexpr std::size_t k_max_printed_errors = 20;

Result<std::int64_t> number_flag(const Invocation& inv, std::string_view name, std::int64_t fallback) {
  auto text = inv.args.value(name);
  if (!text) return fallback;
  const auto value = whole_number<std::int64_t>(*text);
  if (!value || *value < 0) {
    return fail(ErrorCode::invalid_argument, "--" + std::string(name) + " must be a non-negative number");
  }
  return *value;
}

// read: the command only reads, so a database on a read-only file system
// is opened read-only instead of failing.
enum class Access { read, write };

Result<history::HistoryStore> open_store(Invocation& inv, const config::ConfigurationState& config,
                                         Access access = Access::write) {
  auto options = pipeline::history_options(config, inv.env);
  options.session_id.clear();  // imported entries ran in no session of this shell
  auto store = access == Access::read ? history::HistoryStore::open_for_reading(inv.paths.history_db, options)
                                      : history::HistoryStore::open(inv.paths.history_db, options);
  if (store && store->recovery()) {
    const auto& r = *store->recovery();
    inv.err << "cmdai: warning: the history database was damaged (" << terminal_text(r.problem) << "); it was moved to "
            << r.moved_to.string() << " and " << r.salvaged << " entries were recovered\n";
  }
  return store;
}

Result<history::HistoryStore> open_store(Invocation& inv, Access access = Access::write) {
  return open_store(inv, config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv)).state,
                    access);
}

Result<std::string> resolve(history::HistoryStore& store, const Invocation& inv, std::string_view action) {
  if (inv.words.size() != 2) {
    return fail(ErrorCode::invalid_argument, "history " + std::string(action) + " needs one id",
                "cmdai history " + std::string(action) + " 3f2a9c1e");
  }
  return store.resolve_id(inv.words[1]);
}

ExitCode list(Invocation& inv) {
  auto limit = number_flag(inv, "limit", 20);
  if (!limit) return report_error(inv, limit.error());
  auto offset = number_flag(inv, "offset", 0);
  if (!offset) return report_error(inv, offset.error());
  auto store = open_store(inv, Access::read);
  if (!store) return report_error(inv, store.error());
  history::SearchFilters filters;
  filters.backend = inv.args.value("source");  // what produced the entry: an agent, shell, a backend
  filters.tag = inv.args.value("tag");
  auto records = store->list_records({*offset, *limit}, filters);
  if (!records) return report_error(inv, records.error());
  if (inv.format != OutputFormat::plain) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& record : *records) out.push_back(history::record_to_json(record));
    write_structured(inv, out);
    return records->empty() ? ExitCode::no_match : ExitCode::ok;
  }
  for (const auto& record : *records) {
    const auto& entry = record.entry;
    // An entry nothing rated is "unrated", never "safe".
    const std::string_view risk = entry.safety_metadata ? to_string(entry.safety_metadata->risk_level) : "unrated";
    const std::string_view color =
        entry.safety_metadata ? risk_color(entry.safety_metadata->risk_level, inv.color) : dim(inv.color);
    const std::string when = format_iso8601(entry.timestamp).substr(0, 16);
    inv.out << dim(inv.color) << entry.id.substr(0, 8) << "  " << when << reset_color(inv.color)
            << (record.favorite ? " * " : "   ") << color << risk << reset_color(inv.color)
            << std::string(risk.size() < 9 ? 9 - risk.size() : 1, ' ') << terminal_text(entry.command) << "\n";
  }
  return records->empty() ? ExitCode::no_match : ExitCode::ok;
}

ExitCode show(Invocation& inv) {
  auto store = open_store(inv, Access::read);
  if (!store) return report_error(inv, store.error());
  auto id = resolve(*store, inv, "show");
  if (!id) return report_error(inv, id.error());
  auto record = store->get_record(*id);
  if (!record) return report_error(inv, record.error());
  if (!*record) return report_error(inv, Error{ErrorCode::not_found, "no history entry with id " + *id, {}});
  const auto json = history::record_to_json(**record);
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, json);
  } else {
    inv.out << to_yaml(json);
  }
  return ExitCode::ok;
}

// delete, favorite, unfavorite: one id, one change, one line of output.
ExitCode change(Invocation& inv, std::string_view action) {
  auto store = open_store(inv);
  if (!store) return report_error(inv, store.error());
  auto id = resolve(*store, inv, action);
  if (!id) return report_error(inv, id.error());
  Result<void> done = action == "delete"     ? store->remove(*id)
                      : action == "favorite" ? store->set_favorite(*id, history::Favorite::yes)
                                             : store->set_favorite(*id, history::Favorite::no);
  if (!done) return report_error(inv, done.error());
  const std::string verb = action == "delete" ? "deleted" : action == "favorite" ? "marked favorite" : "unmarked";
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, {{"id", *id}, {"action", action}});
  } else {
    inv.out << id->substr(0, 8) << " " << verb << "\n";
  }
  return ExitCode::ok;
}

// tag ID TAG..., untag ID TAG...: the entry's tags after the change.
ExitCode tag(Invocation& inv, std::string_view action) {
  if (inv.words.size() < 3) {
    return report_error(
        inv, Error{ErrorCode::invalid_argument, "history " + std::string(action) + " needs an id and at least one tag",
                   "cmdai history " + std::string(action) + " 3f2a9c1e deploy"});
  }
  auto store = open_store(inv);
  if (!store) return report_error(inv, store.error());
  auto id = store->resolve_id(inv.words[1]);
  if (!id) return report_error(inv, id.error());
  const std::vector<std::string> tags(inv.words.begin() + 2, inv.words.end());
  auto now = action == "tag" ? store->add_tags(*id, tags) : store->remove_tags(*id, tags);
  if (!now) return report_error(inv, now.error());
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, {{"id", *id}, {"tags", *now}});
    return ExitCode::ok;
  }
  std::string listed;
  for (const auto& t : *now) listed += (listed.empty() ? "" : ", ") + terminal_text(t);
  inv.out << id->substr(0, 8) << " tags: " << (listed.empty() ? "(none)" : listed) << "\n";
  return ExitCode::ok;
}

// Rated again with today's rules and configuration, then through the same
// confirm -> run -> record flow as every other command (cli/execute.h). A
// replay always asks (at least y/N, or -y): it re-runs something from the
// past, whatever its risk.
ExitCode replay(Invocation& inv) {
  const auto loaded = config::load_configuration(inv.env, inv.paths.config_file, command_line_overrides(inv));
  auto store = open_store(inv, loaded.state);
  if (!store) return report_error(inv, store.error());
  auto id = resolve(*store, inv, "replay");
  if (!id) return report_error(inv, id.error());
  auto entry = store->get(*id);
  if (!entry || !*entry)
    return report_error(inv, entry ? Error{ErrorCode::not_found, "no entry " + *id, {}} : entry.error());
  const CommandHistoryEntry& e = **entry;
  std::error_code ec;
  const std::string cwd = !e.working_directory.empty() && std::filesystem::is_directory(e.working_directory, ec)
                              ? e.working_directory
                              : inv.env.current_dir();
  auto validator = pipeline::make_validator(loaded.state);
  if (!validator) return report_error(inv, validator.error());
  const auto start = std::chrono::steady_clock::now();
  const auto validation =
      validator->validate(e.command, pipeline::validation_context(loaded.state, inv.env, cwd, e.shell_type));
  const auto validation_time = std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
  inv.out << bold(inv.color) << terminal_text(e.command, LineBreaks::keep) << reset_color(inv.color) << "\n  "
          << risk_color(validation.risk_level, inv.color) << "Risk: " << to_string(validation.risk_level)
          << reset_color(inv.color) << " - " << terminal_text(validation.explanation) << "\n";
  config::ConfigurationState policy = loaded.state;
  policy.confirmation_required = {RiskLevel::safe, RiskLevel::moderate, RiskLevel::high, RiskLevel::critical};
  ExecutionRequest request{{e.command, validation}, *id, e.user_input, e.shell_type, cwd, {}, Micros{0},
                           validation_time};
  request.history = &*store;
  ExecutionReport report;
  const auto mode = inv.args.has("dry-run") ? RunMode::dry_run : RunMode::execute;
  const ExitCode status = confirm_and_run(inv, policy, std::move(request), mode, report);
  if (report.ran && report.command == e.command) {
    if (auto used = store->record_use(*id); !used) inv.err << "cmdai: warning: " << used.error().describe() << "\n";
  }
  return status;
}

// What retention removed and the setting that asked for it, one line.
std::string retention_text(const history::CleanupReport& report, const history::RetentionPolicy& policy) {
  std::string text = "removed " + std::to_string(report.removed_by_age) + " entries older than ";
  text += policy.max_age_days ? std::to_string(*policy.max_age_days) + " days (history.max_age_days)"
                              : std::string("(no age limit)");
  text += " and " + std::to_string(report.removed_by_count) + " oldest beyond ";
  text += policy.max_entries ? "history.max_entries = " + std::to_string(*policy.max_entries)
                             : std::string("(no entry limit)");
  return text + "; " + std::to_string(report.remaining) + " entries kept";
}

nlohmann::json retention_json(const history::CleanupReport& report, const history::RetentionPolicy& policy) {
  return {{"removed_by_age", report.removed_by_age},
          {"removed_by_count", report.removed_by_count},
          {"remaining", report.remaining},
          {"max_age_days", policy.max_age_days ? nlohmann::json(*policy.max_age_days) : nlohmann::json(nullptr)},
          {"max_entries", policy.max_entries ? nlohmann::json(*policy.max_entries) : nlohmann::json(nullptr)}};
}

ExitCode cleanup(Invocation& inv) {
  auto store = open_store(inv);
  if (!store) return report_error(inv, store.error());
  auto report = store->cleanup();
  if (!report) return report_error(inv, report.error());
  if (store->recovery()) {
    inv.err << "cmdai: warning: the history database was damaged; it was moved to "
            << store->recovery()->moved_to.string() << " and " << store->recovery()->salvaged
            << " entries were recovered\n";
  }
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, retention_json(*report, store->options().retention));
    return ExitCode::ok;
  }
  inv.out << retention_text(*report, store->options().retention) << "\n";
  return ExitCode::ok;
}

nlohmann::json counted(const std::vector<history::CountedValue>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : values) out.push_back({{"value", printable_utf8(v.value)}, {"count", v.count}});
  return out;
}

// A page the database cannot read: what `history cleanup` is for.
Error with_cleanup_hint(Error error) {
  if (error.code == ErrorCode::corruption || error.message.find("malformed") != std::string::npos) {
    error.hint = "run `cmdai history cleanup`: it moves the damaged file aside and keeps every entry it can read";
  }
  return error;
}

ExitCode stats(Invocation& inv) {
  auto store = open_store(inv, Access::read);
  if (!store) return report_error(inv, store.error());
  auto s = history::collect_stats(*store);
  if (!s) return report_error(inv, with_cleanup_hint(s.error()));
  const double rate = s->with_exit_code > 0 ? static_cast<double>(s->succeeded) / s->with_exit_code : 0.0;
  nlohmann::json out{{"total", s->total},
                     {"favorites", s->favorites},
                     {"executed", s->with_exit_code},
                     {"succeeded", s->succeeded},
                     {"success_rate", s->with_exit_code > 0 ? nlohmann::json(rate) : nlohmann::json(nullptr)},
                     {"oldest", s->oldest ? nlohmann::json(format_iso8601(*s->oldest)) : nlohmann::json(nullptr)},
                     {"newest", s->newest ? nlohmann::json(format_iso8601(*s->newest)) : nlohmann::json(nullptr)},
                     {"top_commands", counted(s->top_commands)},
                     {"top_directories", counted(s->top_directories)},
                     {"by_risk", counted(s->by_risk)},
                     {"by_backend", counted(s->by_backend)},
                     {"by_shell", counted(s->by_shell)}};
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, out);
    return ExitCode::ok;
  }
  inv.out << s->total << " entries, " << s->favorites << " favorites";
  if (s->oldest)
    inv.out << ", " << format_iso8601(*s->oldest).substr(0, 10) << " .. " << format_iso8601(*s->newest).substr(0, 10);
  inv.out << "\n";
  if (s->with_exit_code > 0) {
    inv.out << "success rate: " << static_cast<int>(rate * 100 + 0.5) << "% of " << s->with_exit_code << " runs\n";
  }
  auto section = [&](const char* title, const std::vector<history::CountedValue>& values) {
    if (values.empty()) return;
    inv.out << title << ":\n";
    for (const auto& v : values) inv.out << "  " << v.count << "  " << terminal_text(v.value) << "\n";
  };
  section("top commands", s->top_commands);
  section("top directories", s->top_directories);
  section("risk levels", s->by_risk);
  section("backends", s->by_backend);
  return ExitCode::ok;
}

Result<history::ImportFormat> format_flag(const Invocation& inv) {
  return history::parse_import_format(inv.args.value("format").value_or("jsonl"));
}

ExitCode export_entries(Invocation& inv) {
  auto format = format_flag(inv);
  if (!format) return report_error(inv, format.error());
  auto store = open_store(inv, Access::read);
  if (!store) return report_error(inv, store.error());
  if (inv.words.size() >= 2 && inv.words[1] != "-") {
    // Written beside the target and renamed over it when complete: a failed
    // export leaves no partial file that looks like a whole one.
    const std::string target = inv.words[1];
    const std::string partial = target + ".partial";
    Result<std::int64_t> written = fail(ErrorCode::io_error, "cannot write " + target, "check the path");
    {
      std::ofstream file(partial, std::ios::binary | std::ios::trunc);
      if (file) written = history::export_history(*store, *format, file);
    }
    std::error_code ec;
    if (written) std::filesystem::rename(partial, target, ec);
    if (!written || ec) {
      std::filesystem::remove(partial, ec);
      return report_error(
          inv, with_cleanup_hint(written ? Error{ErrorCode::io_error, "cannot write " + target, {}} : written.error()));
    }
    inv.err << "exported " << *written << " entries to " << terminal_text(target) << "\n";
    return ExitCode::ok;
  }
  auto written = history::export_history(*store, *format, inv.out);
  return written ? ExitCode::ok : report_error(inv, with_cleanup_hint(written.error()));
}

// --from atuin|mcfly: their database, at the path given or their default
// one; else --format's file (or - for standard input).
struct ImportSource {
  history::ImportFormat format = history::ImportFormat::jsonl;
  std::string file;
};

Result<ImportSource> import_source(const Invocation& inv) {
  const auto from = inv.args.value("from");
  if (!from) {
    auto format = format_flag(inv);
    if (!format) return fail(format.error());
    if (inv.words.size() != 2) {
      return fail(ErrorCode::invalid_argument, "history import needs a file",
                  "cmdai history import --format zsh ~/.zsh_history, or --from atuin");
    }
    return ImportSource{*format, inv.words[1]};
  }
  auto format = history::parse_import_format(*from);
  if (!format || (*format != history::ImportFormat::atuin && *format != history::ImportFormat::mcfly)) {
    return fail(ErrorCode::invalid_argument, "--from '" + *from + "' is not a tool cmdai imports from",
                "use --from atuin or --from mcfly (and --format for history files)");
  }
  if (inv.words.size() > 2) return fail(ErrorCode::invalid_argument, "history import --from takes one path at most");
  if (inv.words.size() == 2) return ImportSource{*format, inv.words[1]};
  const auto path = *format == history::ImportFormat::atuin ? history::default_atuin_database(inv.env)
                                                            : history::default_mcfly_database(inv.env);
  return ImportSource{*format, path.string()};
}

// Counts and what retention removed on stdout, the bad lines on stderr.
void print_import_report(Invocation& inv, const history::ImportReport& report, const std::string& file,
                         const history::RetentionPolicy& policy) {
  if (inv.format != OutputFormat::plain) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : report.errors) errors.push_back({{"line", e.line}, {"message", printable_utf8(e.message)}});
    write_structured(
        inv, {{"imported", report.imported},
              {"skipped", report.skipped},
              {"errors", errors},
              {"retention", report.retention ? retention_json(*report.retention, policy) : nlohmann::json(nullptr)}});
  } else {
    inv.out << "imported " << report.imported << ", skipped " << report.skipped << " already present, "
            << report.errors.size() << " bad lines\n";
    if (report.retention) {
      inv.out << "retention " << retention_text(*report.retention, policy) << "\n";
    }
  }
  for (std::size_t i = 0; i < report.errors.size() && i < k_max_printed_errors; ++i) {
    inv.err << terminal_text(file) << ":" << report.errors[i].line << ": " << terminal_text(report.errors[i].message)
            << "\n";
  }
  if (report.errors.size() > k_max_printed_errors) {
    inv.err << "... and " << report.errors.size() - k_max_printed_errors << " more bad lines\n";
  }
}

ExitCode import_entries(Invocation& inv) {
  auto source = import_source(inv);
  if (!source) return report_error(inv, source.error());
  const auto config = config::load_configuration(inv.env, inv.paths.config_file).state;
  auto rate = import_rater(config, inv.env);
  if (!rate) return report_error(inv, rate.error());
  auto store = open_store(inv, config);
  if (!store) return report_error(inv, store.error());
  const std::string& file = source->file;
  Result<history::ImportReport> report = fail(ErrorCode::internal, "not run");
  if (file == "-") {
    auto text = history::read_import_text(std::cin, "standard input");
    if (!text) return report_error(inv, text.error());
    report = history::import_history_text(*store, source->format, *text, *rate);
  } else {
    report = history::import_history(*store, source->format, file, *rate);
  }
  if (!report) return report_error(inv, report.error());
  print_import_report(inv, *report, file, store->options().retention);
  if (report->imported == 0 && report->skipped == 0) {
    inv.err << "cmdai: error: nothing could be imported from " << terminal_text(file) << " (is it a "
            << history::to_string(source->format) << " history?)\n";
    return ExitCode::failure;
  }
  return report->errors.empty() ? ExitCode::ok : ExitCode::failure;
}

}  // namespace

ExitCode run_history_reindex(Invocation& inv);  // cmd_reindex.cpp

ExitCode run_history(Invocation& inv) {
  const std::string action = inv.words.empty() ? "list" : inv.words[0];
  if (action == "list") return list(inv);
  if (action == "show") return show(inv);
  if (action == "delete" || action == "favorite" || action == "unfavorite") return change(inv, action);
  if (action == "tag" || action == "untag") return tag(inv, action);
  if (action == "replay") return replay(inv);
  if (action == "reindex") return run_history_reindex(inv);
  if (action == "cleanup") return cleanup(inv);
  if (action == "stats") return stats(inv);
  if (action == "export") return export_entries(inv);
  if (action == "import") return import_entries(inv);
  return report_error(inv, Error{ErrorCode::invalid_argument, "unknown history command '" + action + "'",
                                 "use: cmdai history list|show|delete|favorite|unfavorite|tag|untag|replay|cleanup|"
                                 "stats|export|import|reindex"});
}

}  // namespace cmdai::cli
