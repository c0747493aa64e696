#pragma once
// Retention: which history entries are removed, and when. The seed's
// RetentionPolicy; the configuration maps its own copy onto this one.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/entities.h"
#include "core/error.h"
#include "store/database.h"

namespace cmdai::history {

// An entry replayed at least this often counts as frequently used.
inline constexpr std::int64_t k_frequently_used = 3;

struct RetentionPolicy {
  std::optional<std::size_t> max_entries;  // unset: no limit (the default: nothing is removed unasked)
  std::optional<unsigned> max_age_days;    // unset: keep forever
  bool preserve_favorites = true;          // favourites are never removed
  bool preserve_frequently_used = true;    // nor entries with use_count >= k_frequently_used
};

struct CleanupReport {
  std::int64_t removed_by_age = 0;
  std::int64_t removed_by_count = 0;  // the oldest entries beyond max_entries
  std::int64_t remaining = 0;
};

// Removes what the policy says must go, in one IMMEDIATE transaction: first
// entries older than max_age_days, then the oldest unpreserved entries while
// more than max_entries remain. Preserved entries may keep the count above
// max_entries.
Result<CleanupReport> apply_retention(store::Database& db, const RetentionPolicy& policy, Timestamp now);

// The automatic form: two index lookups decide whether anything can be due
// (an entry older than max_age_days, or a rowid span wider than
// max_entries); only then apply_retention() runs. Returns nullopt when
// nothing was due.
Result<std::optional<CleanupReport>> apply_retention_if_due(store::Database& db, const RetentionPolicy& policy,
                                                            Timestamp now);

}  // namespace cmdai::history
