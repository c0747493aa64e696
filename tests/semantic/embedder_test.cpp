#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "semantic/ngram_embedder.h"

namespace cmdai::semantic {
namespace {

float dot(const Vector& a, const Vector& b) { return std::inner_product(a.begin(), a.end(), b.begin(), 0.0F); }

TEST(NgramEmbedder, GivesDeterministicUnitVectorsOfItsDimension) {
  NgramEmbedder embedder;
  const std::vector<std::string> texts{"git log --oneline", "git log --oneline", "df -h"};
  auto vectors = embedder.embed(texts);
  ASSERT_TRUE(vectors.has_value());
  ASSERT_EQ(vectors->size(), 3u);
  for (const auto& v : *vectors) {
    ASSERT_EQ(v.size(), 384u);
    EXPECT_NEAR(dot(v, v), 1.0F, 1e-4F);
  }
  EXPECT_EQ((*vectors)[0], (*vectors)[1]);
  EXPECT_NE((*vectors)[0], (*vectors)[2]);
  EXPECT_EQ(embedder.texts_embedded(), 3u);
}

TEST(NgramEmbedder, PutsMisspellingsCloserThanUnrelatedText) {
  NgramEmbedder embedder;
  auto v = *embedder.embed(std::vector<std::string>{"journalctl -u nginx", "jounalctl nginx", "tar -xzf a.tgz"});
  EXPECT_GT(dot(v[0], v[1]), dot(v[0], v[2]) + 0.2F);
}

TEST(NgramEmbedder, EmptyTextGivesTheZeroVector) {
  NgramEmbedder embedder;
  auto v = embedder.embed(std::vector<std::string>{""});
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(dot(v->front(), v->front()), 0.0F);
}

TEST(Embedder, RefusesInvalidUtf8AndNulBytesWithoutPartialOutput) {
  NgramEmbedder embedder;
  for (std::string bad : {std::string("ok\xff"), std::string("a\0b", 3), std::string("\xc0\xaf"),
                          std::string("\xed\xa0\x80"), std::string("\xe2\x82")}) {
    auto v = embedder.embed(std::vector<std::string>{"fine", bad});
    ASSERT_FALSE(v.has_value());
    EXPECT_EQ(v.error().code, ErrorCode::invalid_argument);
  }
  EXPECT_EQ(embedder.texts_embedded(), 0u);
  EXPECT_TRUE(check_embeddable("naïve café ✓ 日本").has_value());
}

TEST(Embedder, NormalizeLeavesZeroAloneAndScalesOthers) {
  std::vector<float> zero(4, 0.0F);
  normalize_l2(zero);
  EXPECT_EQ(zero, std::vector<float>(4, 0.0F));
  std::vector<float> v{3, 4};
  normalize_l2(v);
  EXPECT_FLOAT_EQ(v[0], 0.6F);
  EXPECT_FLOAT_EQ(v[1], 0.8F);
}

}  // namespace
}  // namespace cmdai::semantic
