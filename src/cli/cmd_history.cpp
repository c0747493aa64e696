// cmdai history list|show|delete|favorite|unfavorite|replay|cleanup|stats|export|import

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <ostream>
#include <sstream>

#include "cli/execute.h"
#include "cli/invocation.h"
#include "cli/output.h"
#include "config/configuration.h"
#include "core/entity_json.h"
#include "core/terminal_text.h"
#include "core/time.h"
#include "core/utf8.h"
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
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || ptr != text->data() + text->size() || value < 0) {
    return fail(ErrorCode::invalid_argument, "--" + std::string(name) + " must be a non-negative number");
  }
  return value;
}

// read: the command only reads, so a database on a read-only file system
// is opened read-only instead of failing.
enum class Access { read, write };

Result<history::HistoryStore> open_store(Invocation& inv, const config::ConfigurationState& config,
                                         Access access = Access::write) {
  auto options = pipeline::history_options(config, inv.env);
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
    const RiskLevel risk = entry.safety_metadata ? entry.safety_metadata->risk_level : RiskLevel::safe;
    const std::string when = format_iso8601(entry.timestamp).substr(0, 16);
    inv.out << dim(inv.color) << entry.id.substr(0, 8) << "  " << when << reset_color(inv.color)
            << (record.favorite ? " * " : "   ") << risk_color(risk, inv.color) << to_string(risk)
            << reset_color(inv.color) << std::string(9 - to_string(risk).size(), ' ') << terminal_text(entry.command)
            << "\n";
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
  if (std::find(policy.confirmation_required.begin(), policy.confirmation_required.end(), RiskLevel::safe) ==
      policy.confirmation_required.end()) {
    policy.confirmation_required.push_back(RiskLevel::safe);
  }
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
  const auto& retention = store->options().retention;
  if (inv.format != OutputFormat::plain) {
    write_structured(inv, {{"removed_by_age", report->removed_by_age},
                           {"removed_by_count", report->removed_by_count},
                           {"remaining", report->remaining}});
    return ExitCode::ok;
  }
  inv.out << "removed " << report->removed_by_age << " entries older than "
          << (retention.max_age_days ? std::to_string(*retention.max_age_days) + " days"
                                     : std::string("(no age limit)"))
          << ", " << report->removed_by_count << " beyond the limit of "
          << (retention.max_entries ? std::to_string(*retention.max_entries) : std::string("(none)")) << "; "
          << report->remaining << " remain\n";
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

ExitCode import_entries(Invocation& inv) {
  auto format = format_flag(inv);
  if (!format) return report_error(inv, format.error());
  if (inv.words.size() != 2) {
    return report_error(inv, Error{ErrorCode::invalid_argument, "history import needs a file",
                                   "cmdai history import --format zsh ~/.zsh_history"});
  }
  auto store = open_store(inv);
  if (!store) return report_error(inv, store.error());
  const std::string& file = inv.words[1];
  Result<history::ImportReport> report = fail(ErrorCode::internal, "not run");
  if (file == "-") {
    auto text = history::read_import_text(std::cin, "standard input");
    if (!text) return report_error(inv, text.error());
    report = history::import_history_text(*store, *format, *text);
  } else {
    report = history::import_history(*store, *format, file);
  }
  if (!report) return report_error(inv, report.error());
  if (inv.format != OutputFormat::plain) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : report->errors) errors.push_back({{"line", e.line}, {"message", printable_utf8(e.message)}});
    write_structured(inv, {{"imported", report->imported}, {"skipped", report->skipped}, {"errors", errors}});
  } else {
    inv.out << "imported " << report->imported << ", skipped " << report->skipped << " already present, "
            << report->errors.size() << " bad lines\n";
  }
  for (std::size_t i = 0; i < report->errors.size() && i < k_max_printed_errors; ++i) {
    inv.err << terminal_text(file) << ":" << report->errors[i].line << ": " << terminal_text(report->errors[i].message)
            << "\n";
  }
  if (report->errors.size() > k_max_printed_errors) {
    inv.err << "... and " << report->errors.size() - k_max_printed_errors << " more bad lines\n";
  }
  if (report->imported == 0 && report->skipped == 0) {
    inv.err << "cmdai: error: nothing could be imported from " << terminal_text(file) << " (is it a "
            << history::to_string(*format) << " history file?)\n";
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
  if (action == "replay") return replay(inv);
  if (action == "reindex") return run_history_reindex(inv);
  if (action == "cleanup") return cleanup(inv);
  if (action == "stats") return stats(inv);
  if (action == "export") return export_entries(inv);
  if (action == "import") return import_entries(inv);
  return report_error(inv, Error{ErrorCode::invalid_argument, "unknown history command '" + action + "'",
                                 "use: cmdai history list|show|delete|favorite|unfavorite|replay|cleanup|stats|"
                                 "export|import|reindex"});
}

}  // namespace cmdai::cli
