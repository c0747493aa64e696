// Context signals, safety levels, custom patterns, compatibility warnings,
// habits and bad input.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

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

// Each kind of context that lowers a level, with the command that shows it:
// the lowering is reported with its span, and the rule it replaced is the
// one the command gets without that context.
TEST(ValidatorContext, EveryLoweringIsReportedWhereItApplies) {
  struct Case {
    std::string_view id, command, without;  // without: the same command without the context
    std::string_view without_cwd = "/home/u/project";
  };
  const Case cases[] = {
      {"lowered.image_file", "mkfs.ext4 disk.img", "mkfs.ext4 disk"},
      {"lowered.regular_file", "mkfs.ext4 scratch", "mkfs.ext4 disk"},
      {"lowered.guarded_variable", "rm -rf \"${DIR:?}/\"", "rm -rf \"${DIR}/\""},
      {"lowered.liveness_probe", "kill -0 4242", "kill 4242"},
      {"lowered.help", "mkfs.ext4 --help", "mkfs.ext4 disk"},
      {"lowered.working_directory", "rm -rf *", "rm -rf *", "/usr/lib"},
      {"lowered.find_working_directory", "find . -delete", "find . -delete", "/usr/lib"},
      {"lowered.temporary_directory", "echo x > /var/tmp/note", "echo x > /var/lib/note"},
      {"lowered.bounded_append", "echo '10.0.0.1 db' >> /etc/hosts", "echo '10.0.0.1 db' > /etc/hosts"},
  };
  auto context = project();
  context.file_kind = [](const std::string& path) {
    return path == "/home/u/project/scratch" ? FileKind::regular : FileKind::missing;
  };
  std::set<std::string> covered;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.command);
    const auto r = Validator{}.validate(c.command, context);
    ASSERT_EQ(r.lowered.size(), 1U);
    const Lowering& l = r.lowered[0];
    EXPECT_EQ(l.id, c.id);
    EXPECT_FALSE(l.reason.empty());
    EXPECT_EQ(l.segment, std::string(c.command).substr(l.span.begin, l.span.end - l.span.begin));
    auto elsewhere = context;
    elsewhere.working_directory = std::string(c.without_cwd);
    const auto without = Validator{}.validate(c.without, elsewhere);
    EXPECT_GT(without.risk_level, r.risk_level) << c.without;
    EXPECT_TRUE(without.lowered.empty()) << c.without;
    ASSERT_FALSE(l.instead_of.empty());
    const bool replaced = std::any_of(without.findings.begin(), without.findings.end(),
                                      [&](const Finding& f) { return f.rule_id == l.instead_of; });
    EXPECT_TRUE(replaced) << l.instead_of << " is not what '" << c.without << "' gets";
    covered.insert(l.id);
  }
  for (const auto& info : all_lowerings())
    EXPECT_TRUE(covered.contains(std::string(info.id))) << info.id << " has no case";
  EXPECT_EQ(lowering_info("no.such.lowering").id, "lowered.unknown");
}

// A help request lowers only what its analyzer would have rated, and names
// the rule it would have fired.
TEST(ValidatorContext, HelpLowersOnlyWhatWouldHaveBeenRated) {
  const auto dd = Validator{}.validate("dd if=x of=/dev/sda --help", project());
  EXPECT_EQ(dd.risk_level, RiskLevel::safe);
  ASSERT_EQ(dd.lowered.size(), 1U);
  const auto raw = Validator{}.validate("dd if=x of=/dev/sda", project());
  EXPECT_EQ(raw.risk_level, RiskLevel::critical);
  EXPECT_EQ(dd.lowered[0].instead_of, raw.findings.at(0).rule_id);
  EXPECT_TRUE(dd.findings.empty());
  for (const char* command : {"git --help", "ls --help", "rm --help", "dd --version"}) {
    const auto r = Validator{}.validate(command, project());
    EXPECT_EQ(r.risk_level, RiskLevel::safe) << command;
    EXPECT_TRUE(r.lowered.empty()) << command;
  }
}

// What a named path is on disk decides, not its name: a link called
// disk.img to a block device is a disk; a character device is formatted
// like one too.
TEST(ValidatorContext, FileKindOnDiskDecidesOverTheName) {
  auto context = project();
  const auto image = Validator{}.validate("mkfs.ext4 disk.img", context);
  EXPECT_EQ(image.risk_level, RiskLevel::moderate);
  for (const FileKind kind : {FileKind::block_device, FileKind::other}) {
    context.file_kind = [kind](const std::string& path) {
      return path == "/home/u/project/disk.img" ? kind : FileKind::missing;
    };
    for (const char* command : {"mkfs.ext4 disk.img", "sudo mkfs -t ext4 ./disk.img"}) {
      const auto r = Validator{}.validate(command, context);
      EXPECT_EQ(r.risk_level, RiskLevel::critical) << command;
      EXPECT_NE(finding(r, "disk.format"), nullptr) << command;
      EXPECT_TRUE(r.lowered.empty()) << command;
    }
  }
  context.file_kind = [](const std::string& path) {
    return path == "/home/u/project/disk.img" ? FileKind::block_device : FileKind::missing;
  };
  EXPECT_EQ(Validator{}.validate("dd if=/dev/zero of=disk.img bs=1M", context).risk_level, RiskLevel::critical);
  EXPECT_EQ(Validator{}.validate("dd if=/dev/zero of=other.img bs=1M", context).risk_level, RiskLevel::moderate);
}

// A program cmdai does not know is never safe: moderate, high when its
// arguments look destructive; known once the context finds it on PATH; a
// path to a script is unknown whatever PATH holds.
TEST(ValidatorContext, UnknownProgramsAreNeverSafe) {
  auto context = project();
  const auto plain = Validator{}.validate("frobnicate --list", context);
  EXPECT_EQ(plain.risk_level, RiskLevel::moderate);
  ASSERT_NE(finding(plain, "program.unknown"), nullptr);
  EXPECT_EQ(plain.unverified.size(), 1U);
  for (const char* command : {"frobnicate -rf build", "frobnicate --force ~", "./frob /", "frobnicate of=/dev/sda"}) {
    const auto r = Validator{}.validate(command, context);
    EXPECT_EQ(r.risk_level, RiskLevel::high) << command;
    EXPECT_NE(finding(r, "shell.unknown_destructive"), nullptr) << command;
  }
  std::vector<std::string> asked;
  context.on_path = [&asked](const std::string& program) {
    asked.push_back(program);
    return program == "frobnicate";
  };
  EXPECT_EQ(Validator{}.validate("frobnicate --list", context).risk_level, RiskLevel::safe);
  EXPECT_EQ(Validator{}.validate("./frobnicate --list", context).risk_level, RiskLevel::moderate);
  EXPECT_EQ(Validator{}.validate("/opt/frob/bin/frobnicate --list", context).risk_level, RiskLevel::moderate);
  EXPECT_EQ(Validator{}.validate("other-tool", context).risk_level, RiskLevel::moderate);
  // Builtins, cmdai's table, analyzed programs and the script's own
  // functions are never looked up.
  asked.clear();
  for (const char* command : {"cd src", "ls -la", "rm notes.txt", "/usr/bin/grep x f", "f() { ls; }; f"}) {
    EXPECT_LE(Validator{}.validate(command, context).risk_level, RiskLevel::moderate) << command;
  }
  EXPECT_TRUE(asked.empty()) << asked.front();
  // The script's own functions, wherever defined, and a function body's
  // "$@" (rated where the function is called) are not programs to look up.
  for (const char* command : {"f() { g; }; g() { ls; }; f", "retry() { \"$@\" || retry \"$@\"; }"}) {
    const auto r = Validator{}.validate(command, context);
    EXPECT_EQ(r.risk_level, RiskLevel::safe) << command;
    EXPECT_TRUE(r.unverified.empty()) << command;
  }
  EXPECT_TRUE(asked.empty()) << asked.front();
  EXPECT_EQ(Validator{}.validate("run() { \"$@\"; }; run other-tool", context).risk_level, RiskLevel::moderate);
  // Wrapped, the unwrapped program is what is looked up.
  EXPECT_EQ(Validator{}.validate("sudo frobnicate --list", context).risk_level, RiskLevel::safe);
  EXPECT_EQ(Validator{}.validate("sudo other-tool", context).risk_level, RiskLevel::moderate);
  EXPECT_EQ(Validator{}.validate("find . -name x -exec other-tool {} +", context).risk_level, RiskLevel::moderate);
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
