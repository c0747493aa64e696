// core/utf8: strict decoding (what JSON output accepts), replacement for
// printing, and cuts that never split a character.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace cmdai {
namespace {

TEST(Utf8, DecodesOneToFourByteCharacters) {
  EXPECT_EQ(decode_utf8("a", 0).code, U'a');
  EXPECT_EQ(decode_utf8("\xc3\xa9", 0).code, U'\u00e9');
  EXPECT_EQ(decode_utf8("\xe4\xbb\xa4", 0).code, U'\u4ee4');
  const Utf8Char emoji = decode_utf8("\xf0\x9f\x98\x80", 0);
  EXPECT_TRUE(emoji.valid);
  EXPECT_EQ(emoji.code, U'\U0001F600');
  EXPECT_EQ(emoji.length, 4u);
}

TEST(Utf8, RejectsWhatJsonOutputRejects) {
  for (const std::string bad : {"\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe4\xbb", "\xff", "\x80"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << nlohmann::json(printable_utf8(bad)).dump();
    EXPECT_THROW((void)nlohmann::json(bad).dump(), nlohmann::json::type_error) << "the two must agree";
    EXPECT_EQ(utf8_sequence(bad, 0), 0u);
    EXPECT_EQ(decode_utf8(bad, 0).length, 1u) << "an invalid byte stands alone";
  }
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xe4\xbb\xa4\xf0\x9f\x98\x80"));
  EXPECT_TRUE(is_valid_utf8(""));
}

TEST(Utf8, FirstInvalidByteIsFound) {
  EXPECT_EQ(first_invalid_utf8("list files"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8("caf\xc3\xa9 \xff"), 6u);
  EXPECT_EQ(first_invalid_utf8("\xe4\xbb'"), 0u) << "a lead byte whose sequence was cut";
}

TEST(Utf8, PrintableReplacesEachInvalidByte) {
  EXPECT_EQ(printable_utf8("a\xff"
                           "b"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(printable_utf8("\xe4\xbb'"), "\xef\xbf\xbd\xef\xbf\xbd'");
  EXPECT_EQ(printable_utf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_NO_THROW((void)nlohmann::json(printable_utf8("\xc0\x80\xed\xa0\x80")).dump());
}

TEST(Utf8, PrefixNeverSplitsACharacter) {
  const std::string text = "ab\xe4\xbb\xa4\xe4\xbb\xa4";  // 2 + 3 + 3 bytes
  EXPECT_EQ(utf8_prefix(text, 2), "ab");
  EXPECT_EQ(utf8_prefix(text, 4), "ab");
  EXPECT_EQ(utf8_prefix(text, 5), "ab\xe4\xbb\xa4");
  EXPECT_EQ(utf8_prefix(text, 100), text);
  EXPECT_EQ(utf8_prefix("\xff\xfe", 1), "\xff") << "an invalid byte is its own character";
  std::string long_cjk;
  for (int i = 0; i < 100; ++i) long_cjk += "\xe4\xbb\xa4";
  EXPECT_TRUE(is_valid_utf8(utf8_prefix(long_cjk, 200)));
  EXPECT_EQ(utf8_prefix(long_cjk, 200).size(), 198u);
}

TEST(Utf8, EncodesWhatDecodes) {
  for (const char32_t code : {U'a', U'\u00e9', U'\u4ee4', U'\U0001F600', U'\U0010FFFF'}) {
    const std::string bytes = encode_utf8(code);
    ASSERT_TRUE(is_valid_utf8(bytes));
    EXPECT_EQ(decode_utf8(bytes, 0).code, code);
  }
  EXPECT_EQ(encode_utf8(0xD800), "") << "a surrogate has no UTF-8 form";
  EXPECT_EQ(encode_utf8(0x110000), "");
}

}  // namespace
TEST(Utf8, AsciiLowerLeavesEveryOtherByteAlone) {
  EXPECT_EQ(ascii_lower("Café ÉTÉ Łódź ID-42"), "café ÉtÉ Łódź id-42");
  EXPECT_EQ(ascii_lower(std::string_view("A\xc3\x28Z", 4)), std::string("a\xc3\x28z", 4));
  EXPECT_EQ(ascii_lower(""), "");
}

}  // namespace cmdai
