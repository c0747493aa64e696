#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "semantic/embedder.h"
#include "semantic/vector_index.h"

namespace cmdai::semantic {
namespace {

std::vector<float> random_unit(std::mt19937& rng, std::size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  normalize_l2(v);
  return v;
}

TEST(VectorIndex, KernelsAgreeExactlyOnAllLengths) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(-127, 127);
  for (std::size_t n : {0u, 1u, 15u, 16u, 31u, 32u, 63u, 64u, 65u, 384u, 1000u}) {
    std::vector<std::int8_t> a(n);
    std::vector<std::int8_t> b(n);
    std::int32_t expected = 0;
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = static_cast<std::int8_t>(value(rng));
      b[i] = static_cast<std::int8_t>(value(rng));
      expected += a[i] * b[i];
    }
    EXPECT_EQ(dot_int8(a.data(), b.data(), n), expected) << n;
    EXPECT_EQ(dot_int8_portable(a.data(), b.data(), n), expected) << n;
  }
  std::vector<std::int8_t> extreme(384, -127);
  EXPECT_EQ(dot_int8(extreme.data(), extreme.data(), 384), 384 * 127 * 127) << "no int16 saturation";
}

TEST(VectorIndex, QuantisedScoresStayCloseToFloatCosine) {
  std::mt19937 rng(11);
  VectorIndex index(384);
  std::vector<std::vector<float>> rows;
  for (int i = 0; i < 200; ++i) {
    rows.push_back(random_unit(rng, 384));
    ASSERT_TRUE(index.add(i, rows.back()));
  }
  const auto query = random_unit(rng, 384);
  const auto hits = index.search(query, 200);
  ASSERT_EQ(hits.size(), 200u);
  for (const auto& hit : hits) {
    const auto& row = rows[static_cast<std::size_t>(hit.id)];
    const float exact = std::inner_product(row.begin(), row.end(), query.begin(), 0.0F);
    EXPECT_NEAR(hit.score, exact, 0.02F);
  }
  EXPECT_TRUE(std::is_sorted(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.score > b.score; }));
}

TEST(VectorIndex, TopKMatchesExactRankingOnClearWinners) {
  std::mt19937 rng(3);
  VectorIndex index(64);
  const auto target = random_unit(rng, 64);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(index.add(i, random_unit(rng, 64)));
  EXPECT_TRUE(index.add(5000, target));
  const auto hits = index.search(target, 3);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 5000);
  EXPECT_NEAR(hits[0].score, 1.0F, 0.02F);
}

TEST(VectorIndex, MaskedRowsAreNeverReturned) {
  std::mt19937 rng(5);
  VectorIndex index(32);
  const auto target = random_unit(rng, 32);
  EXPECT_TRUE(index.add(10, target));  // the best match, but filtered out
  for (std::int64_t id = 11; id < 40; ++id) EXPECT_TRUE(index.add(id, random_unit(rng, 32)));
  const std::vector<std::int64_t> allowed{12, 13, 30, 99};
  const auto mask = index.positions_of(allowed);
  const auto hits = index.search(target, 10, &mask);
  ASSERT_EQ(hits.size(), 3u);
  for (const auto& hit : hits) EXPECT_TRUE(hit.id == 12 || hit.id == 13 || hit.id == 30) << hit.id;
}

TEST(VectorIndex, RefusesVectorsOfTheWrongSizeAndHandlesEmptyCases) {
  VectorIndex index(8);
  EXPECT_FALSE(index.add(1, std::vector<float>(7, 0.1F)));
  EXPECT_TRUE(index.search(std::vector<float>(8, 0.1F), 5).empty());
  EXPECT_TRUE(index.add(1, std::vector<float>(8, 0.0F)));
  EXPECT_TRUE(index.search(std::vector<float>(9, 0.1F), 5).empty()) << "query of the wrong size";
  EXPECT_EQ(index.search(std::vector<float>(8, 0.1F), 5).size(), 1u);
  std::vector<float> nan(8, std::nanf(""));
  EXPECT_TRUE(index.add(2, nan)) << "stored as zeros rather than poisoning scores";
}

// Below exact_below rows the index scans everything; these force the sign
// prefilter on small indexes so its paths are tested.
constexpr IndexOptions k_prefiltered{0, 40, 4};

std::vector<float> near(std::mt19937& rng, const std::vector<float>& v, float noise) {
  std::normal_distribution<float> normal(0.0F, noise);
  std::vector<float> out = v;
  for (float& x : out) x += normal(rng);
  normalize_l2(out);
  return out;
}

TEST(VectorIndex, SignPrefilterFindsPlantedNeighbours) {
  std::mt19937 rng(21);
  VectorIndex index(128, k_prefiltered);
  std::vector<std::vector<float>> planted;
  for (std::int64_t id = 0; id < 4000; ++id) {
    if (id % 200 == 0) {
      planted.push_back(random_unit(rng, 128));
      EXPECT_TRUE(index.add(id, planted.back()));
    } else {
      EXPECT_TRUE(index.add(id, random_unit(rng, 128)));
    }
  }
  for (std::size_t i = 0; i < planted.size(); ++i) {
    const auto query = near(rng, planted[i], 0.03F);
    const auto hits = index.search(query, 5);
    ASSERT_EQ(hits.size(), 5u);
    EXPECT_EQ(hits[0].id, static_cast<std::int64_t>(i * 200));
    const auto exact = index.search_exact(query, 1);
    EXPECT_EQ(hits[0].id, exact[0].id);
    EXPECT_FLOAT_EQ(hits[0].score, exact[0].score) << "prefiltered rows keep their exact int8 scores";
  }
}

TEST(VectorIndex, SignPrefilterAppliesTheMaskBeforeRanking) {
  std::mt19937 rng(22);
  VectorIndex index(64, k_prefiltered);
  const auto target = random_unit(rng, 64);
  EXPECT_TRUE(index.add(1, target));
  std::vector<std::int64_t> allowed;
  for (std::int64_t id = 2; id < 3000; ++id) {
    EXPECT_TRUE(index.add(id, random_unit(rng, 64)));
    if (id % 7 == 0) allowed.push_back(id);
  }
  const auto mask = index.positions_of(allowed);
  const auto hits = index.search(target, 10, &mask);
  ASSERT_EQ(hits.size(), 10u);
  for (const auto& hit : hits) EXPECT_EQ(hit.id % 7, 0) << hit.id;
  const auto exact = index.search_exact(target, 10, &mask);
  EXPECT_EQ(hits[0].id, exact[0].id);
}

// Many results from the shortlist a few would get: as many as asked (up to
// the shortlist), best first, and the best the same as a search for few.
TEST(VectorIndex, ManyResultsFromTheShortlistOfFew) {
  std::mt19937 rng(25);
  VectorIndex index(64, k_prefiltered);  // shortlist: max(40, 4 per result)
  const auto target = random_unit(rng, 64);
  for (std::int64_t id = 1; id < 2000; ++id)
    EXPECT_TRUE(index.add(id, id % 50 == 0 ? near(rng, target, 0.3F) : random_unit(rng, 64)));
  const auto few = index.search(target, 10);
  const auto many = index.search(target, 40, nullptr, 10);
  ASSERT_EQ(many.size(), 40u) << "the shortlist for 10 results holds 40 rows";
  EXPECT_TRUE(std::is_sorted(many.begin(), many.end(), [](const auto& a, const auto& b) { return a.score > b.score; }));
  for (std::size_t i = 0; i < few.size(); ++i) EXPECT_EQ(many[i].id, few[i].id) << i;
  EXPECT_EQ(index.search(target, 100, nullptr, 10).size(), 100u) << "never fewer rows than asked for";
}

TEST(VectorIndex, BaseSegmentAndOwnedRowsSearchAsOne) {
  std::mt19937 rng(23);
  VectorIndex first(32);
  const auto in_base = random_unit(rng, 32);
  EXPECT_TRUE(first.add(5, in_base));
  for (std::int64_t id = 6; id < 50; ++id) EXPECT_TRUE(first.add(id, random_unit(rng, 32)));
  const auto owned = first.segments()[1];
  VectorIndex index(32, owned, nullptr);
  EXPECT_EQ(index.base_size(), 45u);
  EXPECT_FALSE(index.add(49, random_unit(rng, 32))) << "ids must increase past the base";
  const auto in_tail = random_unit(rng, 32);
  ASSERT_TRUE(index.add(100, in_tail));
  EXPECT_EQ(index.size(), 46u);
  EXPECT_EQ(index.last_id(), 100);
  EXPECT_EQ(index.search(in_base, 1)[0].id, 5);
  EXPECT_EQ(index.search(in_tail, 1)[0].id, 100);
  const std::vector<std::int64_t> ids{100, 7};
  const auto mask = index.positions_of(ids);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 2);
  EXPECT_EQ(mask[2], 1);
  EXPECT_EQ(mask[45], 1);
}

// Ascending ids with gaps of every size, in the base segment and the rows
// added after it, missing ones among them: the mask marks exactly the ids
// present, as a lookup of each one would.
TEST(VectorIndex, PositionsOfFindsEachIdWhateverTheGaps) {
  std::mt19937 rng(24);
  VectorIndex first(8);
  std::vector<std::int64_t> ids;
  std::int64_t id = 1;
  for (int i = 0; i < 3000; ++i) {
    id += 1 + static_cast<std::int64_t>(rng() % (i % 100 == 0 ? 5000 : 7));
    ids.push_back(id);
    EXPECT_TRUE(first.add(id, random_unit(rng, 8)));
  }
  VectorIndex index(8, first.segments()[1], nullptr);
  for (int i = 0; i < 500; ++i) {
    id += 1 + static_cast<std::int64_t>(rng() % 9);
    ids.push_back(id);
    EXPECT_TRUE(index.add(id, random_unit(rng, 8)));
  }
  std::vector<std::int64_t> wanted;
  for (std::int64_t probe = 0; probe <= id + 10; probe += 1 + static_cast<std::int64_t>(rng() % 4)) {
    wanted.push_back(probe);
  }
  const auto mask = index.positions_of(wanted);
  ASSERT_EQ(mask.size(), ids.size());
  for (std::size_t row = 0; row < ids.size(); ++row) {
    const bool asked = std::binary_search(wanted.begin(), wanted.end(), ids[row]);
    EXPECT_EQ(mask[row] != 0, asked) << "row " << row << " id " << ids[row];
  }
  std::vector<std::int64_t> shuffled = wanted;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  EXPECT_EQ(index.positions_of(shuffled), mask) << "any order gives the same mask";
}

TEST(VectorIndex, TernaryKernelCountsAgreementMinusDisagreement) {
  // One word of positive and one of negative bits per row (64 dimensions).
  const std::vector<std::uint64_t> query{0b0111, 0b1000};
  const std::vector<std::uint64_t> rows{0b0111, 0b1000,   // the same: agrees 4 times
                                        0b1000, 0b0001,   // dimension 0 and 3 flipped: disagrees twice
                                        0,      0,        // all zero: neither
                                        0b0111, 0b1000};  // masked out
  std::vector<std::uint16_t> out(4);
  const std::vector<std::uint8_t> allowed{1, 1, 1, 0};
  ternary_distances(rows.data(), 4, query.data(), 2, allowed.data(), out.data());
  EXPECT_EQ(out[0], 64 - 4);
  EXPECT_EQ(out[1], 64 + 2);
  EXPECT_EQ(out[2], 64);
  EXPECT_EQ(out[3], 0xFFFF);
}

TEST(VectorIndex, TernaryPrefilterKeepsSparseNeighbours) {
  // Sparse vectors (a few non-zero values, as hashed n-grams give) are where
  // plain sign bits fail: zeros would all read as negative.
  std::mt19937 rng(24);
  std::uniform_int_distribution<std::size_t> dimension(0, 383);
  auto sparse = [&] {
    std::vector<float> v(384, 0.0F);
    for (int i = 0; i < 12; ++i) v[dimension(rng)] += (dimension(rng) % 2 == 0 ? 1.0F : -1.0F);
    normalize_l2(v);
    return v;
  };
  VectorIndex index(384, k_prefiltered);
  std::vector<std::vector<float>> rows;
  for (std::int64_t id = 0; id < 3000; ++id) {
    rows.push_back(sparse());
    EXPECT_TRUE(index.add(id, rows.back()));
  }
  int found = 0;
  for (std::int64_t id = 0; id < 3000; id += 100) {
    auto query = rows[static_cast<std::size_t>(id)];
    query[dimension(rng)] += 0.3F;
    normalize_l2(query);
    found += index.search(query, 1)[0].id == index.search_exact(query, 1)[0].id ? 1 : 0;
  }
  EXPECT_EQ(found, 30);
}

}  // namespace
}  // namespace cmdai::semantic
