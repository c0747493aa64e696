// TextInput: cursor movement, Backspace and Delete over multi-byte UTF-8
// characters, and the visible window around the cursor.

#include "tui/text_input.h"

#include <gtest/gtest.h>

#include <clocale>

namespace cmdai::tui {
namespace {

TEST(TextInput, BackspaceRemovesWholeCharactersOfAnyLength) {
  TextInput input;
  input.insert("a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80");  // a é 日 😀: 1, 2, 3 and 4 bytes
  EXPECT_EQ(input.cursor(), 10u);
  input.erase_before();
  EXPECT_EQ(input.text(), "a\xc3\xa9\xe6\x97\xa5");
  input.erase_before();
  EXPECT_EQ(input.text(), "a\xc3\xa9");
  input.erase_before();
  EXPECT_EQ(input.text(), "a");
  input.erase_before();
  input.erase_before();  // at the start: nothing happens
  EXPECT_EQ(input.text(), "");
  EXPECT_EQ(input.cursor(), 0u);
}

TEST(TextInput, LeftRightAndDeleteStepOverCharacters) {
  TextInput input("mod\xc3\xa8le");
  input.left();
  input.left();
  input.left();  // before è
  EXPECT_EQ(input.cursor(), 3u);
  input.insert("\xe6\x97\xa5");
  EXPECT_EQ(input.text(), "mod\xe6\x97\xa5\xc3\xa8le");
  input.erase_at();  // removes è, both bytes
  EXPECT_EQ(input.text(), "mod\xe6\x97\xa5le");
  input.right();
  input.right();
  input.right();  // past the end: stays
  EXPECT_EQ(input.cursor(), input.text().size());
  input.home();
  input.right();
  EXPECT_EQ(input.cursor(), 1u);
}

TEST(TextInput, AnInvalidByteStandsAlone) {
  TextInput input("a\xff\xc3\xa9");
  input.erase_before();
  EXPECT_EQ(input.text(), "a\xff");
  input.erase_before();
  EXPECT_EQ(input.text(), "a");
}

TEST(TextInput, VisibleWindowFollowsTheCursor) {
  if (std::setlocale(LC_CTYPE, "C.UTF-8") == nullptr) GTEST_SKIP() << "no C.UTF-8 locale";
  TextInput input("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e-abcdef");  // 日本語-abcdef: 13 columns
  int column = 0;
  const std::string tail = input.visible(8, column);
  EXPECT_EQ(column, 7) << "the cursor sits after the last character, inside the field";
  EXPECT_EQ(tail, "-abcdef");
  input.home();
  EXPECT_EQ(input.visible(8, column), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e-a");
  EXPECT_EQ(column, 0);
  std::setlocale(LC_CTYPE, "C");
}

}  // namespace
}  // namespace cmdai::tui
