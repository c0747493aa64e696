#pragma once
// Importing and exporting history. JSONL lines are CommandHistoryEntry
// objects with the seed's field names (execution_metadata and
// safety_metadata nested), plus "favorite" and "use_count"; a valid UUID v4
// id and the timestamp are kept, a missing id gets a new one. Shell history
// files (bash, zsh, fish) become entries tagged "imported" with the shell's
// timestamps where the file has them; their ids are derived from the file's
// content, so importing the same file twice adds nothing.
//
// Bad lines are reported with their line number and skipped; good lines are
// kept. A line over k_max_import_line_bytes and binary data (a NUL, or more
// than one character in eight a control or not UTF-8) are bad lines; a file
// over k_max_import_bytes is refused whole (/dev/zero, a disk image).
// Entries are prepared as HistoryStore::store prepares them
// (history/batch_writer.h), so privacy redaction applies to imports too;
// they are read, rated and prepared on a thread of the import's own while
// the calling thread writes them (history/import_pipeline.h). Retention is applied once at the end, and whatever it
// removed is in the report: an import never deletes silently.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "history/history_store.h"

namespace cmdai::history {

// atuin and mcfly are SQLite databases (atuin's `history` table, mcfly's
// `commands` table), read-only; the others are text files.
enum class ImportFormat { jsonl, bash, zsh, fish, atuin, mcfly };

// Everything a rating may depend on: an import rates each distinct one
// once and gives every entry that shares it the same rating.
struct RatingInput {
  std::string_view command;
  std::string_view working_directory;  // as recorded; may be empty
  ShellType shell = ShellType::bash;
};

// Rates one command as the validator does (history cannot see safety, so
// the caller passes it). An import without a rater stores no
// safety_metadata: such entries are unrated, never shown as safe. An import
// calls its rater from one thread of its own, one call at a time, and
// passes on what the rater throws once the import is rolled back.
using Rater = std::function<SafetyMetadata(const RatingInput& input)>;

inline constexpr std::size_t k_max_import_bytes = std::size_t{64} << 20;  // about a million commands
inline constexpr std::size_t k_max_import_line_bytes = 64 * 1024;         // the longest request cmdai takes

Result<ImportFormat> parse_import_format(std::string_view text);
std::string_view to_string(ImportFormat format);

struct ImportLineError {
  std::size_t line = 0;  // 1-based
  std::string message;
};

struct ImportReport {
  std::int64_t imported = 0;
  std::int64_t skipped = 0;  // already present, or held a secret in skip mode
  std::vector<ImportLineError> errors;
  // What the retention policy removed once the entries were in (the store's
  // options say why: max_entries, max_age_days); nullopt: nothing.
  std::optional<CleanupReport> retention;
};

// Errors: not_found for a missing file, invalid_argument for a directory or
// a file over k_max_import_bytes, io_error when it cannot be read; the
// database's errors. Line errors are in the report, not failures.
// Every entry is rated by rate (each distinct RatingInput once),
// replacing any rating a JSONL line carried (its user_confirmed is kept);
// the time that rating took is its execution_metadata.validation_time.
Result<ImportReport> import_history(HistoryStore& store, ImportFormat format, const std::filesystem::path& file,
                                    const Rater& rate = {});
// Reads at most k_max_import_bytes from in (stdin or a file); name is what
// errors call it. `expected_bytes`, when known (a file's size), is room
// made up front, so the text is never copied as it grows; more or less may
// be read. Errors: invalid_argument past the limit, io_error.
Result<std::string> read_import_text(std::istream& in, const std::string& name, std::size_t expected_bytes = 0);
// The same, from text already in memory (stdin, tests).
// (Text formats only: jsonl, bash, zsh, fish.)
Result<ImportReport> import_history_text(HistoryStore& store, ImportFormat format, std::string_view text,
                                         const Rater& rate = {});

// Writes every entry, oldest first, to out. Returns how many were written.
Result<std::int64_t> export_history(HistoryStore& store, ImportFormat format, std::ostream& out);

}  // namespace cmdai::history
