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
// kept. Entries go through HistoryStore::store_batch, so privacy redaction
// applies to imports too.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "history/history_store.h"

namespace cmdai::history {

enum class ImportFormat { jsonl, bash, zsh, fish };

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
};

// Errors: io_error when the file cannot be read; the database's errors.
// Line errors are in the report, not failures.
Result<ImportReport> import_history(HistoryStore& store, ImportFormat format, const std::filesystem::path& file);
// The same, from text already in memory (stdin, tests).
Result<ImportReport> import_history_text(HistoryStore& store, ImportFormat format, std::string_view text);

// Writes every entry, oldest first, to out. Returns how many were written.
Result<std::int64_t> export_history(HistoryStore& store, ImportFormat format, std::ostream& out);

}  // namespace cmdai::history
