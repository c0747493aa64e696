#include "history/rank_blend.h"

#include <cmath>

#include <algorithm>
#include <cstdio>

namespace cmdai::history {
namespace {

constexpr double k_score_half = 5.0;    // score giving similarity 0.5
constexpr double k_typo_penalty = 0.8;  // similarity factor for corrected words

double recency_factor(double age_days) { return 1.0 + 0.5 / (1.0 + std::max(age_days, 0.0) / 7.0); }

}  // namespace

double blended_score(const RankSignals& s) {
  const double usage = static_cast<double>(s.use_count) / (static_cast<double>(s.use_count) + 3.0);
  return s.text * (recency_factor(s.age_days) + 0.3 * usage + 0.3 * s.place + (s.favorite ? 0.2 : 0.0));
}

double similarity_of(double score, bool typo_corrected) {
  const double similarity = score / (score + k_score_half);
  return typo_corrected ? similarity * k_typo_penalty : similarity;
}

double place_of(std::string_view directory, std::string_view current) {
  if (current.empty()) return 0.0;
  if (directory == current) return 1.0;
  if (directory.size() > current.size() && directory.starts_with(current) && directory[current.size()] == '/')
    return 0.5;
  return 0.0;
}

std::string describe_rank(const RankSignals& s, std::string_view text_source, const std::vector<std::string>& typos) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "text %.2f (%.*s); recency x%.2f (%.1f days old)", s.text,
                static_cast<int>(text_source.size()), text_source.data(), recency_factor(s.age_days),
                std::max(s.age_days, 0.0));
  std::string out = buffer;
  if (s.use_count > 0) out += "; replayed " + std::to_string(s.use_count) + "x";
  if (s.place >= 1.0) out += "; same directory";
  if (s.place > 0.0 && s.place < 1.0) out += "; below this directory";
  if (s.favorite) out += "; favorite";
  for (const auto& typo : typos) out += "; typo: " + typo;
  return out;
}

namespace {
constexpr double k_rrf = 60.0;
constexpr double k_fusion_recency = 0.10;
constexpr double k_fusion_frequency = 0.10;
constexpr double k_fusion_directory = 0.15;
}  // namespace

double fused_rank_score(std::initializer_list<int> ranks) {
  double score = 0;
  for (int rank : ranks) {
    if (rank > 0) score += 1.0 / (k_rrf + rank);
  }
  return score;
}

double fusion_prior(double age_days, int uses, bool same_directory) {
  const double recency = std::exp2(-std::max(0.0, age_days) / 30.0);
  const double frequency = std::min(1.0, std::log2(1.0 + uses) / 4.0);
  return 1.0 + k_fusion_recency * recency + k_fusion_frequency * frequency +
         (same_directory ? k_fusion_directory : 0.0);
}

double fused_best(int lists) {
  return std::max(1, lists) / (k_rrf + 1) * (1 + k_fusion_recency + k_fusion_frequency + k_fusion_directory);
}

}  // namespace cmdai::history
