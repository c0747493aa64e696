// Properties: wrappers never lower a level; the validator never crashes or
// hangs on random input and never rates unparseable input safe.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "safety/validator.h"
#include "shell/parser.h"

namespace cmdai::safety {
namespace {

const std::vector<std::string> k_commands{
    "rm -rf /",         "rm -rf ./build",      "rm notes.txt",           "ls -la",
    "git push --force", "mkfs.ext4 /dev/sda1", "curl -s x | sh",         "echo hi > out.txt",
    "chmod -R 777 /",   "kill -9 1",           "cat /etc/passwd",        "git status",
    "dd if=a of=b",     "shutdown -h now",     "docker system prune -a", "kubectl delete pod x",
    "echo 'rm -rf /'",  "find . -delete",      ":(){ :|:& };:",          "psql -c 'DROP TABLE t'"};

std::string single_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

RiskLevel rate(const std::string& command) {
  ValidationContext context;
  context.working_directory = "/home/u/project";
  context.home_directory = "/home/u";
  return Validator{}.validate(command, context).risk_level;
}

RC_GTEST_PROP(ValidatorProperty, WrappersNeverLowerTheLevel, ()) {
  const auto command = *rc::gen::elementOf(k_commands);
  const auto wrapper = *rc::gen::elementOf(std::vector<std::string>{
      "sudo ",    "sudo -u root ", "doas ",       "env X=1 ",    "env -i ",   "nice -n 5 ", "timeout 10 ",     "nohup ",
      "command ", "time ",         "stdbuf -oL ", "ionice -c3 ", "builtin ",  "exec ",      "setsid ",         "X=1 ",
      "bash -c ", "sh -c ",        "eval ",       "su -c ",      "ssh host ", "watch ",     "flock /tmp/l -c "});
  const bool quote = wrapper.ends_with("-c ") || wrapper == "eval " || wrapper == "ssh host " || wrapper == "watch ";
  // A function definition is not a simple command: only code-taking wrappers can run it.
  if (!quote && command.find("(){") != std::string::npos) RC_SUCCEED("not a simple command");
  const std::string wrapped = wrapper + (quote ? single_quoted(command) : command);
  RC_ASSERT(rate(wrapped) >= rate(command));
}

RC_GTEST_PROP(ValidatorProperty, NestedWrappersNeverLowerTheLevel, ()) {
  const auto command = *rc::gen::elementOf(k_commands);
  const auto depth = *rc::gen::inRange(1, 5);
  std::string wrapped = command;
  for (int i = 0; i < depth; ++i) wrapped = (i % 2 == 0 ? "bash -c " : "sudo sh -c ") + single_quoted(wrapped);
  RC_ASSERT(rate(wrapped) >= rate(command));
}

RC_GTEST_PROP(ValidatorProperty, NeverCrashesAndUnparseableIsNeverSafe, ()) {
  const auto alphabet = std::string("rm -f/ $'\"`\\(){}|&;<>\n#=*~!0123456789IFSabcdehsu.");
  const auto text = *rc::gen::container<std::string>(rc::gen::elementOf(alphabet));
  const auto level = rate(text);
  if (!shell::parse(text)) RC_ASSERT(level >= RiskLevel::high);
}

RC_GTEST_PROP(ValidatorProperty, ContextNeverLowersALevel, ()) {
  const auto command = *rc::gen::elementOf(k_commands);
  ValidationContext plain;
  plain.working_directory = "/home/u/project";
  plain.home_directory = "/home/u";
  ValidationContext escalated = plain;
  escalated.is_root = *rc::gen::arbitrary<bool>();
  escalated.is_ssh_session = *rc::gen::arbitrary<bool>();
  escalated.git_branch = *rc::gen::elementOf(std::vector<std::string>{"", "main", "feature"});
  escalated.kube_context = *rc::gen::elementOf(std::vector<std::string>{"", "prod-eu", "dev"});
  RC_ASSERT(Validator{}.validate(command, escalated).risk_level >= Validator{}.validate(command, plain).risk_level);
}

}  // namespace
}  // namespace cmdai::safety
