#pragma once
// Detecting a damaged database file and moving it out of the way.
//
// probe() is cheap enough for every open (it reads the 100-byte file header
// and the schema); integrity_check() reads every page and is meant for
// maintenance (`cmdai history cleanup`).

#include <filesystem>
#include <string>

#include "core/entities.h"
#include "core/error.h"
#include "store/database.h"

namespace cmdai::store {

// Checks the file header without SQLite: the magic string, a sane page size,
// and that the file is not shorter than the header says (a truncated copy).
// A missing or empty file is healthy (it is about to be created).
// Errors: corruption with what is wrong; io_error when the file cannot be read.
Result<void> probe_file(const std::filesystem::path& path);

// Reads the schema and the first and last rows of every table's b-tree.
// Errors: corruption when SQLite reports a malformed image.
Result<void> probe(Database& db);

// PRAGMA quick_check over every page. Errors: corruption with SQLite's first
// complaint.
Result<void> integrity_check(Database& db);

// Renames path (and its -wal and -shm files) to
// "<path>.corrupt-<YYYYMMDDTHHMMSSZ>" and returns the new name. The database
// must not be open in this process.
Result<std::filesystem::path> move_aside(const std::filesystem::path& path, Timestamp now);

}  // namespace cmdai::store
