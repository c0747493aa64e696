#include <gtest/gtest.h>

#include "llm/curl_library.h"

namespace cmdai::llm {
namespace {

TEST(CurlLibrary, OpensOnFirstUseWithEveryFunction) {
  auto library = curl_library();
  ASSERT_TRUE(library.has_value()) << library.error().describe();
  const CurlLibrary& curl = **library;
  EXPECT_NE(curl.easy_init, nullptr);
  EXPECT_NE(curl.easy_setopt, nullptr);
  EXPECT_NE(curl.multi_poll, nullptr);
  EXPECT_NE(curl.multi_wakeup, nullptr);
  EXPECT_NE(curl.slist_free_all, nullptr);
  EXPECT_STREQ(curl.easy_strerror(CURLE_OK), "No error");
  EXPECT_EQ(*curl_library(), &curl) << "opened once";
}

}  // namespace
}  // namespace cmdai::llm
