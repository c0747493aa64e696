#pragma once
// Text relevance for history search without a pass over every match.
//
// FTS5's bm25() counts, once per query, every entry each phrase matches (its
// IDF needs that number): for "git" at a million entries that is half a
// million doclist entries, about 10 ms, however few candidates are ranked.
// cmdai_bm25() is the same formula (k1 = 1.2, b = 0.75, column weights
// command 4, user_input 2, explanation 1, tags 2, scores <= 0 like bm25())
// with each phrase's match count given by the caller, from
// phrase_match_counts(): exact up to k_match_count_sample, estimated beyond.

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/database.h"

namespace cmdai::history {

inline constexpr std::int64_t k_match_count_sample = 2000;

// The column weights every ranking of history text uses (command 4,
// user_input 2, explanation 1, tags 2), as FTS5's own ranking function with
// them: "bm25(4.0, 2.0, 1.0, 2.0)" for `rank MATCH`, and the call itself,
// "bm25(command_history_fts, 4.0, 2.0, 1.0, 2.0)", for a SELECT.
const std::string& fts_rank_weights();
const std::string& fts_rank_call();

// Registers cmdai_bm25(command_history_fts, n_1, ..., n_k) on this
// connection, n_i being how many entries phrase i (in the order FTS5
// numbers the phrases of the MATCH expression) matches; a missing n_i counts
// as 1 (a rare phrase). Errors: unavailable when SQLite has no FTS5.
Result<void> register_rank_function(store::Database& db);

// For each phrase (a MATCH expression of its own), how many entries it
// matches: counted when fewer than k_match_count_sample, otherwise
// k_match_count_sample times the span of all rowids over the span of the
// rowids of its newest k_match_count_sample matches (the density of the
// newest matches, which is what ranking cares about). Costs at most
// k_match_count_sample doclist steps per phrase.
Result<std::vector<double>> phrase_match_counts(store::Database& db, const std::vector<std::string>& phrases);

}  // namespace cmdai::history
