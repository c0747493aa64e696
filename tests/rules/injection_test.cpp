// Values from a request never become commands: each payload below, placed in
// every kind of slot, must leave the answer's commands unchanged.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/templates.h"
#include "shell/parser.h"

namespace cmdai::rules {
namespace {

const std::vector<std::string> k_payloads{
    "'; rm -rf / #", "\"; rm -rf / #", "$(rm -rf /)", "`rm -rf /`", "x && rm -rf ~",
    "x | sh",        "a; reboot",      "x\nrm -rf /", "${IFS}rm",   "a'b\"c",
};

// The request shapes: where a payload can sit.
const std::vector<std::string> k_shapes{
    "find files named \"{}\"",         "search for \"{}\" in notes.txt",
    "grep \"{}\" in app.log",          "kill the process named \"{}\"",
    "install package \"{}\"",          "create a branch called \"{}\"",
    "stop container \"{}\"",           "commit everything with message \"{}\"",
    "create a directory named \"{}\"", "replace \"{}\" with \"safe\" in config.txt",
    "tar up ./site excluding \"{}\"",  "ssh to host.example.com and run \"{}\"",
};

bool runs_something_unexpected(const shell::Script& script) {
  for (const auto& item : script.items) {
    for (const auto& command : item.pipeline.commands) {
      const auto argv = shell::argv_of(command);
      if (argv.empty()) continue;
      for (const char* bad : {"rm", "reboot", "sh"}) {
        if (argv[0] == bad) return true;
      }
    }
  }
  return false;
}

TEST(RulesInjection, RequestTextNeverBecomesACommand) {
  int answered = 0;
  for (const auto& shape : k_shapes) {
    for (const auto& payload : k_payloads) {
      std::string request = shape;
      request.replace(request.find("{}"), 2, payload);
      auto match = match_request(request, Userland::gnu);
      if (!match) continue;
      ++answered;
      const auto script = shell::parse(match->answer.command);
      ASSERT_TRUE(script.has_value()) << request << " -> " << match->answer.command;
      EXPECT_FALSE(runs_something_unexpected(*script)) << request << " -> " << match->answer.command;
      for (const auto& item : script->items) {
        for (const auto& command : item.pipeline.commands) {
          EXPECT_TRUE(command.assignments.empty() || match->answer.command.starts_with("TZ=")) << match->answer.command;
        }
      }
    }
  }
  // Most shapes must answer at all, or this test would prove nothing.
  EXPECT_GT(answered, static_cast<int>(k_shapes.size() * k_payloads.size() / 2));
}

TEST(RulesInjection, ThePayloadArrivesAsOneArgument) {
  auto match = match_request("find files named \"'; rm -rf / #\"", Userland::gnu);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->answer.command, "find . -name ''\\''; rm -rf / #'");
  const auto script = shell::parse(match->answer.command);
  ASSERT_TRUE(script.has_value());
  ASSERT_EQ(script->items.size(), 1u);
  ASSERT_EQ(script->items[0].pipeline.commands.size(), 1u);
  EXPECT_EQ(shell::argv_of(script->items[0].pipeline.commands[0]).back(), "'; rm -rf / #");
}

}  // namespace
}  // namespace cmdai::rules
