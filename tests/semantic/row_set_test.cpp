// RowSet: the rows a search filter allows, as a bitmap by rowid or (for
// rowids far sparser than the rows) a sorted list; both answer alike.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "semantic/search_filters.h"

namespace cmdai::semantic {
namespace {

TEST(RowSet, DenseAndSparseRowidsAnswerAlike) {
  std::mt19937 rng(5);
  for (const std::int64_t spread : {3, 40, 1'000'000}) {
    std::set<std::int64_t> chosen;
    while (chosen.size() < 2000) chosen.insert(1 + static_cast<std::int64_t>(rng() % (2000 * spread)));
    const RowSet rows(std::vector<std::int64_t>(chosen.begin(), chosen.end()));
    EXPECT_EQ(rows.rowids().size(), chosen.size());
    for (std::int64_t probe = -2; probe < 2000 * spread + 70; probe += 1 + static_cast<std::int64_t>(rng() % spread)) {
      ASSERT_EQ(rows.contains(probe), chosen.contains(probe)) << "spread " << spread << " rowid " << probe;
    }
    for (const std::int64_t rowid : chosen) ASSERT_TRUE(rows.contains(rowid));
  }
}

TEST(RowSet, EmptyAllowsNothing) {
  const RowSet rows({});
  EXPECT_FALSE(rows.contains(0));
  EXPECT_FALSE(rows.contains(1));
}

}  // namespace
}  // namespace cmdai::semantic
