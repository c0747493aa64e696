// The llama backend's candidate selection: TopK against a full sort on
// vocabularies of every shape, and the fallback candidates of a shape.
#include <gtest/gtest.h>

#if __has_include(<llama.h>)
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "llm/llama/token_candidates.h"

namespace cmdai::llm {
namespace {

std::vector<llama_token> reference_top(const std::vector<float>& logits, std::size_t k) {
  std::vector<llama_token> ids(logits.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<llama_token>(i);
  std::stable_sort(ids.begin(), ids.end(), [&](llama_token a, llama_token b) { return logits[a] > logits[b]; });
  ids.resize(std::min(k, ids.size()));
  return ids;
}

std::vector<float> top_logits(TopK& top, const std::vector<float>& logits, std::size_t k) {
  std::vector<llama_token_data> out;
  top.select(logits.data(), static_cast<int>(logits.size()), k, out);
  std::vector<float> values;
  for (const auto& t : out) values.push_back(t.logit);
  return values;
}

std::vector<float> expected_logits(const std::vector<float>& logits, std::size_t k) {
  std::vector<float> values;
  for (const auto id : reference_top(logits, k)) values.push_back(logits[static_cast<std::size_t>(id)]);
  return values;
}

TEST(TopK, MatchesAFullSortOnVocabulariesOfEveryShape) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0F, 3.0F);
  TopK top;
  for (const int n : {1, 7, 64, 65, 640, 2'561, 151'936}) {
    for (const std::size_t k : {std::size_t{1}, std::size_t{40}, std::size_t{100}}) {
      std::vector<float> logits(static_cast<std::size_t>(n));
      for (auto& l : logits) l = normal(rng);
      EXPECT_EQ(top_logits(top, logits, k), expected_logits(logits, k)) << "n=" << n << " k=" << k;
    }
  }
}

TEST(TopK, SortedLogitsTiesAndTheBestInTheTail) {
  TopK top;
  std::vector<float> rising(10'000);
  for (std::size_t i = 0; i < rising.size(); ++i) rising[i] = static_cast<float>(i);
  EXPECT_EQ(top_logits(top, rising, 40), expected_logits(rising, 40)) << "every block beats the last";
  std::vector<float> flat(10'000, 1.0F);
  EXPECT_EQ(top_logits(top, flat, 40).size(), 40U);
  std::vector<float> tail(10'000 + 17, -5.0F);
  tail.back() = 9.0F;
  EXPECT_EQ(top_logits(top, tail, 3).front(), 9.0F);
}

TEST(TopK, NanLogitsStillGiveKCandidates) {
  TopK top;
  std::vector<float> logits(4'096, 0.5F);
  for (std::size_t i = 0; i < logits.size(); i += 3) logits[i] = std::numeric_limits<float>::quiet_NaN();
  std::vector<llama_token_data> out;
  top.select(logits.data(), static_cast<int>(logits.size()), 40, out);
  EXPECT_EQ(out.size(), 40U);
}

}  // namespace
}  // namespace cmdai::llm
#endif
