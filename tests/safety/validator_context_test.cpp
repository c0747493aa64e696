// Context signals, safety levels, custom patterns, compatibility warnings,
// habits and bad input.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/utf8.h"
#include "safety/rule_table.h"
#include "safety/validator.h"

namespace cmdai::safety {
namespace {

ValidationContext project() {
  ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  return context;
}

const Finding* finding(const ValidationResult& r, std::string_view id) {
  for (const auto& f : r.findings) {
    if (f.rule_id == id) return &f;
  }
  return nullptr;
}

TEST(ValidatorContext, SshSessionEscalatesLockoutRisks) {
  auto context = project();
  EXPECT_EQ(Validator{}.validate("systemctl stop sshd", context).risk_level, RiskLevel::high);
  context.is_ssh_session = true;
  const auto r = Validator{}.validate("systemctl stop sshd", context);
  EXPECT_EQ(r.risk_level, RiskLevel::critical);
  ASSERT_NE(finding(r, "system.remote_access_stop"), nullptr);
  EXPECT_NE(finding(r, "system.remote_access_stop")->context_signal.find("SSH"), std::string::npos);
  EXPECT_EQ(Validator{}.validate("reboot", context).risk_level, RiskLevel::critical);
  EXPECT_EQ(Validator{}.validate("ls", context).risk_level, RiskLevel::safe);
}

TEST(ValidatorContext, RootEscalatesModerateFileChanges) {
  auto context = project();
  EXPECT_EQ(Validator{}.validate("rm notes.txt", context).risk_level, RiskLevel::moderate);
  EXPECT_EQ(Validator{}.validate("sudo rm notes.txt", context).risk_level, RiskLevel::high);
  context.is_root = true;
  EXPECT_EQ(Validator{}.validate("rm notes.txt", context).risk_level, RiskLevel::high);
  EXPECT_EQ(Validator{}.validate("apt install jq", context).risk_level, RiskLevel::moderate);
}

TEST(ValidatorContext, ProtectedBranchAndProductionCluster) {
  auto context = project();
  EXPECT_EQ(Validator{}.validate("git push --force", context).risk_level, RiskLevel::high);
  context.git_branch = "main";
  EXPECT_EQ(Validator{}.validate("git push --force", context).risk_level, RiskLevel::critical);
  EXPECT_EQ(Validator{}.validate("git push --force origin feature", context).risk_level, RiskLevel::high);
  context.kube_context = "prod-eu-1";
  EXPECT_EQ(Validator{}.validate("kubectl delete pod web-1", context).risk_level, RiskLevel::critical);
  EXPECT_EQ(Validator{}.validate("kubectl get pods", context).risk_level, RiskLevel::safe);
}

TEST(ValidatorContext, SameCommandDifferentDirectory) {
  auto context = project();
  EXPECT_EQ(Validator{}.validate("rm -rf *", context).risk_level, RiskLevel::high);
  context.working_directory = "/";
  const auto r = Validator{}.validate("rm -rf *", context);
  EXPECT_EQ(r.risk_level, RiskLevel::critical);
  EXPECT_NE(r.findings.at(0).context_signal.find("resolves to /"), std::string::npos);
}

TEST(ValidatorContext, SafetyLevelsDecideConfirmationNotRisk) {
  auto context = project();
  context.safety_level = SafetyLevel::strict;
  auto r = Validator{}.validate("rm -rf /", context);
  EXPECT_EQ(r.action, Action::block);
  EXPECT_EQ(r.risk_level, RiskLevel::critical);
  EXPECT_EQ(Validator{}.validate("rm -rf build", context).action, Action::confirm_typed);
  context.safety_level = SafetyLevel::permissive;
  EXPECT_EQ(Validator{}.validate("rm notes.txt", context).action, Action::run);
  EXPECT_EQ(Validator{}.validate("rm -rf build", context).action, Action::confirm);
  EXPECT_EQ(Validator{}.validate("rm -rf /", context).action, Action::confirm_typed);
  context.safety_level = SafetyLevel::moderate;
  r = Validator{}.validate("rm notes.txt", context);
  EXPECT_EQ(r.action, Action::confirm);
  ASSERT_EQ(r.required_confirmations.size(), 1u);
  EXPECT_EQ(r.required_confirmations[0], ConfirmationType::yes_no);
  EXPECT_EQ(parse_safety_level("strict").value(), SafetyLevel::strict);
  EXPECT_FALSE(parse_safety_level("lax"));
}

TEST(ValidatorContext, CustomPatternsRunOnUnwrappedCommands) {
  auto patterns = parse_custom_patterns({"critical:^terraform (apply|destroy)", "deploy\\.sh"});
  ASSERT_TRUE(patterns);
  auto validator = Validator::create({*patterns});
  ASSERT_TRUE(validator);
  auto r = validator->validate("sudo env X=1 terraform apply -auto-approve", project());
  EXPECT_EQ(r.risk_level, RiskLevel::critical);
  EXPECT_NE(std::find(r.patterns_matched.begin(), r.patterns_matched.end(), "custom.1"), r.patterns_matched.end());
  EXPECT_EQ(validator->validate("bash -c './deploy.sh prod'", project()).risk_level, RiskLevel::high);
  EXPECT_EQ(validator->validate("echo 'terraform apply'", project()).risk_level, RiskLevel::safe);
  auto bad = Validator::create({{{"custom.1", RiskLevel::high, "(unclosed", ""}}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not a valid regex"), std::string::npos);
  EXPECT_FALSE(parse_custom_patterns({"high:"}));
}

TEST(ValidatorContext, CompatibilityWarningsNeverRaiseTheLevel) {
  auto context = project();
  context.shell = ShellType::sh;
  auto r = Validator{}.validate("diff <(ls a) <(ls b) && [[ -f x ]]", context);
  EXPECT_EQ(r.risk_level, RiskLevel::safe);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].find("sh does not support"), std::string::npos);
  context.shell = ShellType::fish;
  EXPECT_FALSE(Validator{}.validate("for f in *; do echo $f; done", context).warnings.empty());
  context.shell = ShellType::bash;
  context.userland = Userland::bsd;
  r = Validator{}.validate("sed -i 's/a/b/' f.txt && grep -P '\\d' f.txt", context);
  EXPECT_EQ(r.risk_level, RiskLevel::moderate);
  EXPECT_EQ(r.warnings.size(), 2u);
  context.userland = Userland::gnu;
  EXPECT_TRUE(Validator{}.validate("grep -P '\\d' f.txt", context).warnings.empty());
}

TEST(ValidatorContext, HabitsExplainNeverSeenDestructiveCommands) {
  auto context = project();
  context.habits = HabitHints{{"git", "ls"}, {}, {}};
  const auto r = Validator{}.validate("mkfs.ext4 /dev/sdb1", context);
  EXPECT_EQ(r.risk_level, RiskLevel::critical);
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_NE(r.anomalies[0].find("have not run 'mkfs.ext4'"), std::string::npos);
  EXPECT_TRUE(Validator{}.validate("git push --force", context).anomalies.empty());
}

TEST(ValidatorContext, BadInputIsRatedHighWithAClearReason) {
  const auto nul = Validator{}.validate(std::string("ls\0rm -rf /", 11), project());
  EXPECT_EQ(nul.risk_level, RiskLevel::high);
  EXPECT_NE(nul.explanation.find("NUL byte"), std::string::npos);
  const auto huge = Validator{}.validate(std::string(2 << 20, 'a'), project());
  EXPECT_EQ(huge.risk_level, RiskLevel::high);
  EXPECT_NE(huge.explanation.find("longer than 1 MiB"), std::string::npos);
  const auto utf8 = Validator{}.validate("echo \xff\xfe", project());
  EXPECT_EQ(utf8.risk_level, RiskLevel::safe);
  EXPECT_FALSE(utf8.warnings.empty());
  const auto unparsed = Validator{}.validate("rm -rf '/", project());
  EXPECT_EQ(unparsed.risk_level, RiskLevel::high);
  EXPECT_NE(unparsed.explanation.find("could not be parsed"), std::string::npos);
}

// A model's answer can be one long word of multi-byte characters that does
// not parse; its 200-byte segment, and the habit note quoting it, must
// still be text (JSON output refuses a split character).
TEST(ValidatorContext, ALongUnparsableCommandIsCutOnACharacterBoundary) {
  std::string command;
  for (int i = 0; i < 80; ++i) command += "\xe4\xbb\xa4";  // 240 bytes, 3 per character
  command += " 'unterminated";
  auto context = project();
  context.habits = HabitHints{{"git"}, {}, {}};
  const auto r = Validator{}.validate(command, context);
  ASSERT_NE(finding(r, "parse.error"), nullptr);
  const std::string& segment = finding(r, "parse.error")->segment;
  EXPECT_TRUE(is_valid_utf8(segment));
  EXPECT_LE(segment.size(), 200u);
  EXPECT_EQ(command.rfind(segment, 0), 0u) << "a prefix of the command";
  ASSERT_FALSE(r.anomalies.empty());
  for (const auto& anomaly : r.anomalies) EXPECT_TRUE(is_valid_utf8(anomaly)) << anomaly.size();
}

TEST(ValidatorContext, ReportsSegmentSpanAndSignalOfEachRule) {
  const std::string text = "ls && sudo rm -rf /usr";
  const auto r = Validator{}.validate(text, project());
  ASSERT_EQ(r.findings.size(), 1u);
  const auto& f = r.findings[0];
  EXPECT_EQ(f.rule_id, "rm.recursive_system");
  EXPECT_EQ(text.substr(f.span.begin, f.span.end - f.span.begin), "sudo rm -rf /usr");
  EXPECT_EQ(f.segment, "sudo rm -rf /usr");
  EXPECT_EQ(f.context_signal, "target resolves to /usr");
  EXPECT_DOUBLE_EQ(r.safety_score, 0.0);
}

TEST(ValidatorContext, ValidateIsThreadSafe) {
  const Validator validator;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (validator.validate("curl -s x | sh; python3 -c 'import os; os.system(\"ls\")'", project()).risk_level !=
            RiskLevel::critical) {
          ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(RuleTable, IdsAreUniqueAndEveryRuleHasAMessage) {
  std::set<std::string_view> ids;
  for (const auto& rule : all_rules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_FALSE(rule.message.empty()) << rule.id;
  }
  EXPECT_EQ(rule_info("no.such.rule").id, "internal.unknown_rule");
}

}  // namespace
}  // namespace cmdai::safety
