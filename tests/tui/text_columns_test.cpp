// Columns of UTF-8 text: multi-byte and wide characters, invalid bytes, and
// cutting on character boundaries.

#include "tui/text_columns.h"

#include <gtest/gtest.h>

#include <clocale>

namespace cmdai::tui {
namespace {

class TextColumns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::setlocale(LC_CTYPE, "C.UTF-8") == nullptr) GTEST_SKIP() << "no C.UTF-8 locale";
  }
  void TearDown() override { std::setlocale(LC_CTYPE, "C"); }
};

TEST_F(TextColumns, CountsCharactersNotBytes) {
  EXPECT_EQ(columns("model"), 5);
  EXPECT_EQ(columns("mod\xc3\xa8le"), 6);             // modèle: è is two bytes
  EXPECT_EQ(columns("\xe6\x97\xa5\xe6\x9c\xac"), 4);  // 日本: wide, two columns each
  EXPECT_EQ(columns("a\xff"
                    "b"),
            3)
      << "an invalid byte is one column";
}

TEST_F(TextColumns, SequenceLengthRejectsOverlongSurrogatesAndTruncation) {
  EXPECT_EQ(sequence_length("\xc3\xa8", 0), 2u);
  EXPECT_EQ(sequence_length("\xf0\x9f\x98\x80", 0), 4u);
  EXPECT_EQ(sequence_length("\xc0\x80", 0), 1u) << "overlong NUL";
  EXPECT_EQ(sequence_length("\xed\xa0\x80", 0), 1u) << "surrogate";
  EXPECT_EQ(sequence_length("\xe6\x97", 0), 1u) << "cut short";
  EXPECT_EQ(sequence_length("x", 1), 0u);
}

TEST_F(TextColumns, FitCutsOnACharacterBoundary) {
  EXPECT_EQ(fit_columns("mod\xc3\xa8le", 6), "mod\xc3\xa8le");
  EXPECT_EQ(fit_columns("mod\xc3\xa8le-long-name", 8), "mod\xc3\xa8l...");
  EXPECT_EQ(fit_columns("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5), "\xe6\x97\xa5...")
      << "a wide character never half-fits";
  EXPECT_EQ(fit_columns("abc", 0), "");
}

}  // namespace
}  // namespace cmdai::tui
