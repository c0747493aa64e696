#pragma once
// How history search blends a match's text relevance with where and when
// the entry was recorded: the one definition of the formula in search.h,
// used by the local search (registered in SQLite as cmdai_blend, so its
// ORDER BY uses the same code) and by the team search on the server's
// candidates (team/server_search.h).
//
//   recency  = 1 / (1 + age_days / 7)
//   usage    = use_count / (use_count + 3)
//   place    = 1 same directory, 0.5 below it, else 0
//   score    = text * (1 + 0.5 recency + 0.3 usage + 0.3 place + 0.2 favorite)
//   similarity = score / (score + 5), times 0.8 when a typo was corrected

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cmdai::history {

struct RankSignals {
  double text = 0;      // text relevance, >= 1 for a match
  double age_days = 0;  // negative ages count as 0
  std::int64_t use_count = 0;
  double place = 0;  // place_of()
  bool favorite = false;
};

double blended_score(const RankSignals& signals);
double similarity_of(double score, bool typo_corrected);
// 1 when directory is current, 0.5 below it, else 0 (0 for an empty current).
double place_of(std::string_view directory, std::string_view current);
// "text 2.10 (1 + BM25); recency x1.43 (2.0 days old); replayed 3x; same
// directory; typo: systemclt -> systemctl", text_source naming the relevance.
std::string describe_rank(const RankSignals& signals, std::string_view text_source,
                          const std::vector<std::string>& typos);

// Hybrid search (semantic/hybrid_search.h, and the team search by meaning,
// team/server_search.h) fuses ranked lists of candidates instead:
//
//   fused  = sum over the lists a candidate is in: 1 / (60 + rank)
//   prior  = 1 + 0.10 recency + 0.10 frequency + 0.15 same_dir
//     recency   = 2^(-age_days / 30)
//     frequency = min(1, log2(1 + uses) / 4)   (uses: candidates with its command)
//   final  = fused * prior; similarity = final / fused_best(lists)
//
// rank counts from 1; 0 (not in the list) adds nothing.
double fused_rank_score(std::initializer_list<int> ranks);
double fusion_prior(double age_days, int uses, bool same_directory);
// The final score of a candidate first in each of `lists` lists (at least
// one), with every boost.
double fused_best(int lists);

}  // namespace cmdai::history
