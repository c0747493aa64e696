#include "history/import.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>
#include <unordered_map>

#include "core/entity_json.h"
#include "core/hash.h"
#include "core/time.h"
#include "core/utf8.h"
#include "core/uuid.h"
#include "history/foreign_history.h"
#include "history/record_row.h"
#include "history/shell_history.h"

namespace cmdai::history {
namespace {

constexpr std::size_t k_read_chunk = 1 << 20;

// Binary data, not text: a NUL, or more than one character in eight that is
// a control or not UTF-8 at all. (A stray escape in a long command is kept;
// it is shown as text wherever it is printed.)
bool looks_binary(std::string_view text) {
  std::size_t odd = 0;
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Char c = decode_utf8(text, at);
    if (c.valid && c.code == 0) return true;
    if (!c.valid || (c.code < 0x20 && c.code != '\t' && c.code != '\n') || c.code == 0x7f) ++odd;
    at += c.length;
  }
  return odd * 8 > text.size();
}

// Why a line (or a shell command) is not imported; nullopt when it is.
std::optional<std::string> unusable(std::string_view text) {
  if (text.size() > k_max_import_line_bytes) {
    return "a line of " + std::to_string(text.size()) + " bytes (commands of up to " +
           std::to_string(k_max_import_line_bytes / 1024) + " KiB are imported); skipped";
  }
  if (looks_binary(text)) return std::string("binary data, not a command; skipped");
  return std::nullopt;
}

// What an import stores: the records, built in place where they will be
// written from, and each one's line in the source, for its errors.
struct Pending {
  std::vector<HistoryRecord> records;
  std::vector<std::size_t> lines;

  void reserve(std::size_t n) {
    records.reserve(n);
    lines.reserve(n);
  }
  HistoryRecord& add(std::size_t line) {
    lines.push_back(line);
    return records.emplace_back();
  }
  void drop_last() {
    records.pop_back();
    lines.pop_back();
  }
};

// A UUID v4-shaped id from content (two FNV-1a 64-bit hashes), so the same
// shell history line always gets the same id.
std::string content_id(std::string_view format, std::size_t line, std::string_view command, long long when) {
  const std::string key = std::string(format) + '\x1f' + std::to_string(line) + '\x1f' + std::to_string(when) + '\x1f' +
                          std::string(command);
  const std::uint64_t high = fnv1a64(key);
  const std::uint64_t low = fnv1a64(key, 0x84222325cbf29ce4ULL);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | ((low >> 48) & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return buffer;
}

Result<void> record_from_json_line(std::string_view line, HistoryRecord& record) {
  auto json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded()) return fail(ErrorCode::invalid_argument, "not valid JSON");
  if (!json.is_object()) return fail(ErrorCode::invalid_argument, "a history entry must be a JSON object");
  if (!json.contains("id") || json["id"].is_null()) json["id"] = make_uuid_v4();
  if (json["id"].is_string() && !is_uuid_v4(json["id"].get<std::string>())) {
    return fail(ErrorCode::invalid_argument, "id '" + json["id"].get<std::string>() + "' is not a UUID v4");
  }
  auto entry = entry_from_json(json);
  if (!entry) return fail(entry.error());
  record.entry = std::move(*entry);
  if (auto it = json.find("favorite"); it != json.end() && it->is_boolean()) record.favorite = it->get<bool>();
  if (auto it = json.find("use_count"); it != json.end() && it->is_number_integer()) {
    record.use_count = std::max<std::int64_t>(0, it->get<std::int64_t>());
  }
  return {};
}

void read_jsonl(std::string_view text, Pending& pending, ImportReport& report) {
  pending.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (auto why = unusable(line)) {
      report.errors.push_back({number, *why});
      continue;
    }
    if (auto read = record_from_json_line(line, pending.add(number)); !read) {
      pending.drop_last();
      report.errors.push_back({number, read.error().message});
    }
  }
}

ShellType shell_of(ImportFormat format) {
  switch (format) {
    case ImportFormat::zsh: return ShellType::zsh;
    case ImportFormat::fish: return ShellType::fish;
    default: return ShellType::bash;  // bash files; atuin and mcfly record no shell cmdai reads
  }
}

// What the source recorded beyond the command itself.
void copy_context(ImportFormat format, const ShellCommand& command, HistoryRecord& record) {
  CommandHistoryEntry& entry = record.entry;
  entry.working_directory = command.cwd;
  if (command.exit_code || command.duration) {
    ExecutionMetadata metadata;
    metadata.exit_code = command.exit_code;
    metadata.execution_time = command.duration;
    metadata.backend_used = std::string(to_string(format));
    entry.execution_metadata = std::move(metadata);
  }
  if (!command.paths.empty()) {
    // Searchable: the explanation is indexed with the command.
    entry.explanation = "paths:";
    for (const auto& path : command.paths) entry.explanation += " " + path;
  }
  record.hostname = command.hostname;
  record.session_id = command.session;
}

void read_commands(ImportFormat format, const ShellHistory& history, Pending& pending, ImportReport& report) {
  for (const auto& error : history.errors) report.errors.push_back({error.line, error.message});
  // Commands without a time keep their order: the import time, one
  // microsecond apart, oldest first.
  const Timestamp base = Clock::now() - Micros{static_cast<Micros::rep>(history.commands.size())};
  pending.reserve(history.commands.size());
  for (std::size_t i = 0; i < history.commands.size(); ++i) {
    const ShellCommand& command = history.commands[i];
    if (auto why = unusable(command.command)) {
      report.errors.push_back({command.line, *why});
      continue;
    }
    HistoryRecord& record = pending.add(command.line);
    CommandHistoryEntry& entry = record.entry;
    entry.timestamp = command.timestamp.value_or(base + Micros{static_cast<Micros::rep>(i)});
    const long long when = command.timestamp ? to_unix_seconds(*command.timestamp) : -1;
    // A database row keeps its id in the source; a file line its place.
    entry.id = command.source_id.empty() ? content_id(to_string(format), command.line, command.command, when)
                                         : content_id(to_string(format), 0, command.source_id, 0);
    entry.command = command.command;
    entry.shell_type = shell_of(format);
    entry.tags = {"imported"};
    copy_context(format, command, record);
  }
}

void read_shell(ImportFormat format, std::string_view text, Pending& pending, ImportReport& report) {
  const ShellHistory history = format == ImportFormat::bash  ? read_bash_history(text)
                               : format == ImportFormat::zsh ? read_zsh_history(text)
                                                             : read_fish_history(text);
  read_commands(format, history, pending, report);
}

struct Rating {
  SafetyMetadata safety;
  Micros validation_time{0};  // how long the rater took: the entry's validation_time
};

Rating timed_rating(const Rater& rate, const RatingInput& input) {
  const auto start = std::chrono::steady_clock::now();
  Rating rating{rate(input), {}};
  rating.validation_time = std::chrono::ceil<Micros>(std::chrono::steady_clock::now() - start);
  return rating;
}

// The key of everything a rating depends on (RatingInput): the shell, then
// the directory and the command (a NUL ends the directory, which holds none).
std::string rating_key(const RatingInput& input) {
  std::string key;
  key.reserve(2 + input.working_directory.size() + input.command.size());
  key += static_cast<char>('0' + static_cast<int>(input.shell));
  key += input.working_directory;
  key += '\0';
  key += input.command;
  return key;
}

// Each distinct command (in its directory and shell) is rated once: shell
// histories repeat the same few hundred commands thousands of times. Every
// entry of that command records the one validation's time.
void rate_all(Pending& pending, const Rater& rate) {
  if (!rate) return;
  std::unordered_map<std::string, Rating> rated;
  for (HistoryRecord& record : pending.records) {
    CommandHistoryEntry& entry = record.entry;
    const RatingInput input{entry.command, entry.working_directory, entry.shell_type};
    std::string key = rating_key(input);
    auto it = rated.find(key);
    if (it == rated.end()) it = rated.emplace(std::move(key), timed_rating(rate, input)).first;
    const bool confirmed = entry.safety_metadata && entry.safety_metadata->user_confirmed;
    entry.safety_metadata = it->second.safety;
    entry.safety_metadata->user_confirmed = confirmed;
    if (!entry.execution_metadata) entry.execution_metadata = ExecutionMetadata{};
    entry.execution_metadata->validation_time = it->second.validation_time;
  }
}

// One transaction for the whole import: a million entries commit once.
Result<void> store_pending(HistoryStore& store, Pending& pending, ImportReport& report) {
  // The vector itself moves (its records stay where they were read into).
  auto outcomes = store.store_batch(std::move(pending.records));
  if (!outcomes) return fail(outcomes.error());
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    const auto& outcome = (*outcomes)[i];
    if (!outcome) {
      const bool duplicate = outcome.error().message.find("already exists") != std::string::npos;
      if (duplicate) {
        ++report.skipped;
      } else {
        report.errors.push_back({pending.lines[i], outcome.error().message});
      }
    } else if (*outcome == StoreOutcome::skipped_secret) {
      ++report.skipped;
    } else {
      ++report.imported;
    }
  }
  return {};
}

// Rates, stores and applies retention once: the steps every source shares.
Result<void> store_all(HistoryStore& store, Pending& pending, ImportReport& report, const Rater& rate) {
  rate_all(pending, rate);
  CMDAI_TRY(store_pending(store, pending, report));
  auto retention = store.enforce_retention();
  if (!retention) return fail(retention.error());
  report.retention = *retention;
  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportLineError& a, const ImportLineError& b) { return a.line < b.line; });
  return {};
}

}  // namespace

Result<ImportFormat> parse_import_format(std::string_view text) {
  if (text == "jsonl") return ImportFormat::jsonl;
  if (text == "bash") return ImportFormat::bash;
  if (text == "zsh") return ImportFormat::zsh;
  if (text == "fish") return ImportFormat::fish;
  if (text == "atuin") return ImportFormat::atuin;
  if (text == "mcfly") return ImportFormat::mcfly;
  return fail(ErrorCode::invalid_argument, "unknown history format '" + std::string(text) + "'",
              "use jsonl, bash, zsh or fish (and atuin or mcfly to import)");
}

std::string_view to_string(ImportFormat format) {
  switch (format) {
    case ImportFormat::jsonl: return "jsonl";
    case ImportFormat::bash: return "bash";
    case ImportFormat::zsh: return "zsh";
    case ImportFormat::fish: return "fish";
    case ImportFormat::atuin: return "atuin";
    case ImportFormat::mcfly: return "mcfly";
  }
  return "jsonl";
}

Result<ImportReport> import_history_text(HistoryStore& store, ImportFormat format, std::string_view text,
                                         const Rater& rate) {
  if (format == ImportFormat::atuin || format == ImportFormat::mcfly) {
    return fail(ErrorCode::invalid_argument, std::string(to_string(format)) + " history is a database, not text",
                "give its path: cmdai history import --from " + std::string(to_string(format)) + " PATH");
  }
  ImportReport report;
  Pending pending;
  if (format == ImportFormat::jsonl) {
    read_jsonl(text, pending, report);
  } else {
    read_shell(format, text, pending, report);
  }
  CMDAI_TRY(store_all(store, pending, report, rate));
  return report;
}

Result<std::string> read_import_text(std::istream& in, const std::string& name) {
  std::string text;
  while (in) {
    // Read straight into the text, which grows geometrically: no chunk copies.
    const std::size_t size = text.size();
    text.resize(size + k_read_chunk);
    in.read(text.data() + size, static_cast<std::streamsize>(k_read_chunk));
    text.resize(size + static_cast<std::size_t>(in.gcount()));
    if (text.size() > k_max_import_bytes) {
      return fail(ErrorCode::invalid_argument,
                  name + " is larger than " + std::to_string(k_max_import_bytes >> 20) + " MiB; nothing was imported",
                  "import a history file, or split it (split -l 100000) and import the parts");
    }
  }
  if (in.bad()) return fail(ErrorCode::io_error, "reading " + name + " failed", "check the file");
  return text;
}

Result<ImportReport> import_history(HistoryStore& store, ImportFormat format, const std::filesystem::path& file,
                                    const Rater& rate) {
  if (format == ImportFormat::atuin || format == ImportFormat::mcfly) {
    auto history = format == ImportFormat::atuin ? read_atuin_history(file) : read_mcfly_history(file);
    if (!history) return fail(history.error());
    ImportReport report;
    Pending pending;
    read_commands(format, *history, pending, report);
    CMDAI_TRY(store_all(store, pending, report, rate));
    return report;
  }
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    return fail(ErrorCode::not_found, "no file " + file.string(), "give the path of a history file");
  }
  if (std::filesystem::is_directory(file, ec)) {
    return fail(ErrorCode::invalid_argument, file.string() + " is a directory", "give the path of a history file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::io_error, "cannot read " + file.string(), "check the path and its permissions");
  auto text = read_import_text(in, file.string());
  if (!text) return fail(text.error());
  return import_history_text(store, format, *text, rate);
}

Result<std::int64_t> export_history(HistoryStore& store, ImportFormat format, std::ostream& out) {
  if (format == ImportFormat::atuin || format == ImportFormat::mcfly) {
    return fail(ErrorCode::invalid_argument, "cmdai does not write " + std::string(to_string(format)) + " databases",
                "export as jsonl, bash, zsh or fish");
  }
  auto statement = store.database().prepare("SELECT " + std::string(k_record_columns) +
                                            " FROM command_history ORDER BY timestamp ASC, rowid ASC");
  if (!statement) return fail(statement.error());
  std::int64_t written = 0;
  while (true) {
    auto row = statement->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    auto record = read_record(*statement);
    if (!record) continue;  // an unreadable row is not worth stopping an export for
    const CommandHistoryEntry& entry = record->entry;
    switch (format) {
      case ImportFormat::jsonl: {
        auto json = to_json(entry);
        json["favorite"] = record->favorite;
        json["use_count"] = record->use_count;
        out << json_text(json) << '\n';
        break;
      }
      case ImportFormat::bash: out << bash_history_line(entry.command, entry.timestamp); break;
      case ImportFormat::zsh: out << zsh_history_line(entry.command, entry.timestamp); break;
      case ImportFormat::fish: out << fish_history_line(entry.command, entry.timestamp); break;
      case ImportFormat::atuin:
      case ImportFormat::mcfly: break;  // refused above
    }
    ++written;
  }
  out.flush();
  if (!out) return fail(ErrorCode::io_error, "writing the export failed", "check the disk space");
  return written;
}

}  // namespace cmdai::history
