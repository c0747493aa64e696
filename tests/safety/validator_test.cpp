#include <gtest/gtest.h>

#include "safety/validator.h"

namespace cmdai::safety {
namespace {

RiskLevel rate(const std::string& command) {
  ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  return Validator{}.validate(command, context).risk_level;
}

TEST(Validator, RatesByWhatTheCommandDoes) {
  EXPECT_EQ(rate("ls -la"), RiskLevel::safe);
  EXPECT_EQ(rate("find ~/Downloads -type f -iname '*.pdf' -size +10M"), RiskLevel::safe);
  EXPECT_EQ(rate("rm notes.txt"), RiskLevel::moderate);
  EXPECT_EQ(rate("rm -rf ./build"), RiskLevel::high);
  EXPECT_EQ(rate("rm -rf /"), RiskLevel::critical);
  EXPECT_EQ(rate("sudo rm -r -f /usr"), RiskLevel::critical);
  EXPECT_EQ(rate("mkfs.ext4 /dev/sda1"), RiskLevel::critical);
  EXPECT_EQ(rate("dd if=/dev/zero of=/dev/sda"), RiskLevel::critical);
  EXPECT_EQ(rate("find . -name '*.o' -delete"), RiskLevel::high);
}

TEST(Validator, QuotedTextIsData) {
  EXPECT_EQ(rate("echo \"rm -rf /\""), RiskLevel::safe);
  EXPECT_EQ(rate("r\\m -rf /"), RiskLevel::critical);
  EXPECT_EQ(rate("\"rm\" -rf /"), RiskLevel::critical);
}

TEST(Validator, UnparseableIsNeverSafe) { EXPECT_GE(rate("echo 'unterminated"), RiskLevel::high); }

TEST(Validator, FillsTheSeedResult) {
  ValidationContext context;
  auto r = Validator{}.validate("ls; rm -rf /", context);
  EXPECT_FALSE(r.is_safe);
  EXPECT_EQ(r.risk_level, RiskLevel::critical);
  EXPECT_EQ(r.safety_score, 0.0);
  ASSERT_EQ(r.patterns_matched.size(), 1u);
  EXPECT_EQ(r.patterns_matched[0], "rm.recursive_system");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].segment, "rm -rf /");
  ASSERT_EQ(r.required_confirmations.size(), 1u);
  EXPECT_EQ(r.required_confirmations[0], ConfirmationType::typed_phrase);
}

}  // namespace
}  // namespace cmdai::safety
