// Each validator of the key table, on good and bad values.

#include "config/validators.h"

#include <gtest/gtest.h>

namespace cmdai::config {
namespace {

TEST(Validators, EndpointMustBeHttpOrHttpsUrlWithHost) {
  EXPECT_EQ(check_endpoint(""), std::nullopt);
  EXPECT_EQ(check_endpoint("http://localhost:11434"), std::nullopt);
  EXPECT_EQ(check_endpoint("https://api.example.com/v1"), std::nullopt);
  EXPECT_EQ(check_endpoint("http://[::1]:8080"), std::nullopt);
  EXPECT_NE(check_endpoint("localhost:11434"), std::nullopt);
  EXPECT_NE(check_endpoint("ftp://host"), std::nullopt);
  EXPECT_NE(check_endpoint("http://"), std::nullopt);
  EXPECT_NE(check_endpoint("http://:80"), std::nullopt);
  EXPECT_NE(check_endpoint("http://host:port"), std::nullopt);
  EXPECT_NE(check_endpoint("http://a b"), std::nullopt);
  EXPECT_NE(check_endpoint("http://host:123456"), std::nullopt);
}

TEST(Validators, TimeoutMustBePositive) {
  EXPECT_EQ(check_timeout_ms(1), std::nullopt);
  EXPECT_EQ(check_timeout_ms(3'600'000), std::nullopt);
  EXPECT_NE(check_timeout_ms(0), std::nullopt);
  EXPECT_NE(check_timeout_ms(-5), std::nullopt);
  EXPECT_NE(check_timeout_ms(3'600'001), std::nullopt);
}

TEST(Validators, RetriesAtMostTen) {
  EXPECT_EQ(check_retries(0), std::nullopt);
  EXPECT_EQ(check_retries(10), std::nullopt);
  EXPECT_NE(check_retries(11), std::nullopt);
  EXPECT_NE(check_retries(-1), std::nullopt);
}

TEST(Validators, RetentionLimitsArePositive) {
  EXPECT_EQ(check_positive(1), std::nullopt);
  EXPECT_NE(check_positive(0), std::nullopt);
  EXPECT_NE(check_positive(-3), std::nullopt);
  EXPECT_EQ(check_cleanup_days(0), std::nullopt);
  EXPECT_NE(check_cleanup_days(-1), std::nullopt);
}

TEST(Validators, PatternsMustCompileWithRe2) {
  EXPECT_EQ(check_patterns({"rm\\s+-rf", "curl .*\\| *sh"}), std::nullopt);
  auto bad = check_patterns({"ok", "(unclosed"});
  ASSERT_NE(bad, std::nullopt);
  EXPECT_NE(bad->find("(unclosed"), std::string::npos) << *bad;
  EXPECT_NE(check_patterns({"(?=lookahead)"}), std::nullopt);  // RE2 has no lookaround
  EXPECT_NE(check_patterns({""}), std::nullopt);
}

TEST(Validators, FallbackChainNamesOnlyKnownBackendsOnce) {
  ConfigurationState state;
  EXPECT_EQ(check_fallback_chain({"ollama", "rules"}, state), std::nullopt);
  auto unknown = check_fallback_chain({"olama"}, state);
  ASSERT_NE(unknown, std::nullopt);
  EXPECT_NE(unknown->find("olama"), std::string::npos);
  EXPECT_NE(check_fallback_chain({"rules", "rules"}, state), std::nullopt);
  EXPECT_NE(check_fallback_chain({"work"}, state), std::nullopt);
  state.backend_configs["work"] = BackendConfig{BackendType::openai, "http://h:1", "m", 1000, 1, "", {}};
  EXPECT_EQ(check_fallback_chain({"work", "rules"}, state), std::nullopt);
}

TEST(Validators, PreferredIsAutoTypeOrInstance) {
  ConfigurationState state;
  EXPECT_EQ(check_preferred("auto", state), std::nullopt);
  EXPECT_EQ(check_preferred("vllm", state), std::nullopt);
  EXPECT_NE(check_preferred("gpt", state), std::nullopt);
}

TEST(Validators, ConfirmationsAreRiskLevelsAndKeepCritical) {
  EXPECT_EQ(check_confirmations({"high", "critical"}), std::nullopt);
  EXPECT_NE(check_confirmations({"high"}), std::nullopt);
  EXPECT_NE(check_confirmations({"critical", "scary"}), std::nullopt);
}

TEST(Validators, EnvNamesSingleLinesAndChoices) {
  EXPECT_EQ(check_env_name("OPENAI_API_KEY"), std::nullopt);
  EXPECT_EQ(check_env_name(""), std::nullopt);
  EXPECT_NE(check_env_name("1KEY"), std::nullopt);
  EXPECT_NE(check_env_name("sk-abc123"), std::nullopt);
  EXPECT_EQ(check_single_line("qwen2.5-coder:1.5b"), std::nullopt);
  EXPECT_NE(check_single_line("a\nb"), std::nullopt);
  EXPECT_EQ(check_choice("b", {"a", "b"}), std::nullopt);
  EXPECT_NE(check_choice("c", {"a", "b"}), std::nullopt);
}

}  // namespace
}  // namespace cmdai::config
