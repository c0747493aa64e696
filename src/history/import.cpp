#include "history/import.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>

#include "core/entity_json.h"
#include "core/hash.h"
#include "core/time.h"
#include "core/utf8.h"
#include "history/foreign_history.h"
#include "history/import_pipeline.h"
#include "history/jsonl_record.h"
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
    // Printable ASCII, most of any history, is neither odd nor worth decoding.
    if (const auto byte = static_cast<unsigned char>(text[at]); byte >= 0x20 && byte < 0x7f) {
      ++at;
      continue;
    }
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

// The JSONL lines from `text`, a chunk at a time.
class JsonlReader {
 public:
  explicit JsonlReader(std::string_view text) : m_text(text) {}

  bool operator()(ImportChunk& chunk, std::vector<ImportLineError>& errors) {
    while (m_start < m_text.size() && chunk.rows.size() < k_import_chunk_rows) {
      std::size_t end = m_text.find('\n', m_start);
      if (end == std::string_view::npos) end = m_text.size();
      const std::string_view line = m_text.substr(m_start, end - m_start);
      m_start = end + 1;
      ++m_number;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (auto why = unusable(line)) {
        errors.push_back({m_number, *why});
        continue;
      }
      if (auto read = record_from_json_line(line, chunk.add(m_number)); !read) {
        chunk.drop_last();
        errors.push_back({m_number, read.error().message});
      }
    }
    return m_start < m_text.size();
  }

 private:
  std::string_view m_text;
  std::size_t m_start = 0;
  std::size_t m_number = 0;
};

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

// A shell's or another tool's commands, a chunk at a time.
class CommandReader {
 public:
  CommandReader(ImportFormat format, ShellHistory history)
      : m_format(format),
        m_history(std::move(history)),
        // Commands without a time keep their order: the import time, one
        // microsecond apart, oldest first.
        m_base(Clock::now() - Micros{static_cast<Micros::rep>(m_history.commands.size())}) {}

  std::size_t size() const { return m_history.commands.size(); }

  bool operator()(ImportChunk& chunk, std::vector<ImportLineError>& errors) {
    if (m_next == 0) {
      for (const auto& error : m_history.errors) errors.push_back({error.line, error.message});
    }
    for (; m_next < m_history.commands.size() && chunk.rows.size() < k_import_chunk_rows; ++m_next) {
      const ShellCommand& command = m_history.commands[m_next];
      if (auto why = unusable(command.command)) {
        errors.push_back({command.line, *why});
        continue;
      }
      read_command(command, chunk.add(command.line));
    }
    return m_next < m_history.commands.size();
  }

 private:
  void read_command(const ShellCommand& command, HistoryRecord& record) const {
    CommandHistoryEntry& entry = record.entry;
    entry.timestamp = command.timestamp.value_or(m_base + Micros{static_cast<Micros::rep>(m_next)});
    const long long when = command.timestamp ? to_unix_seconds(*command.timestamp) : -1;
    // A database row keeps its id in the source; a file line its place.
    entry.id = command.source_id.empty() ? content_id(to_string(m_format), command.line, command.command, when)
                                         : content_id(to_string(m_format), 0, command.source_id, 0);
    entry.command = command.command;
    entry.shell_type = shell_of(m_format);
    entry.tags = {"imported"};
    copy_context(m_format, command, record);
  }

  ImportFormat m_format;
  ShellHistory m_history;
  Timestamp m_base;
  std::size_t m_next = 0;
};

ShellHistory read_shell(ImportFormat format, std::string_view text) {
  return format == ImportFormat::bash  ? read_bash_history(text)
         : format == ImportFormat::zsh ? read_zsh_history(text)
                                       : read_fish_history(text);
}

// Reads, rates, stores and applies retention once: the steps every source
// shares.
Result<ImportReport> import_all(HistoryStore& store, std::int64_t rows, const ChunkReader& read, const Rater& rate) {
  ImportReport report;
  CMDAI_TRY(run_import(store, rows, read, rate, report));
  auto retention = store.enforce_retention();
  if (!retention) return fail(retention.error());
  report.retention = *retention;
  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportLineError& a, const ImportLineError& b) { return a.line < b.line; });
  return report;
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
  if (format == ImportFormat::jsonl) {
    // Every line may hold an entry: the bulk load's size.
    const bool unterminated = !text.empty() && text.back() != '\n';
    const auto lines = static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n') + (unterminated ? 1 : 0));
    return import_all(store, lines, JsonlReader(text), rate);
  }
  CommandReader reader(format, read_shell(format, text));
  const auto rows = static_cast<std::int64_t>(reader.size());
  return import_all(store, rows, std::move(reader), rate);
}

Result<std::string> read_import_text(std::istream& in, const std::string& name, std::size_t expected_bytes) {
  std::string text;
  // One chunk more than expected: the read that finds the end needs room too.
  if (expected_bytes > 0) text.reserve(std::min(expected_bytes, k_max_import_bytes) + k_read_chunk);
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
    CommandReader reader(format, std::move(*history));
    const auto rows = static_cast<std::int64_t>(reader.size());
    return import_all(store, rows, std::move(reader), rate);
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
  // A regular file's size (a pipe or a device has none worth trusting).
  const auto size = std::filesystem::is_regular_file(file, ec) ? std::filesystem::file_size(file, ec) : 0;
  auto text = read_import_text(in, file.string(), ec ? 0 : static_cast<std::size_t>(size));
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
