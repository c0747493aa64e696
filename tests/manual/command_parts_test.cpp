#include "manual/command_parts.h"

#include <gtest/gtest.h>

#include "shell/parser.h"

namespace cmdai::manual {
namespace {

std::optional<Documented> fake_pages(const std::string& name) {
  Documented doc;
  doc.source = Source::man_page;
  if (name == "tar") {
    doc.options.summary = "an archiving utility";
    doc.options.options = {{"-x", {"extract files.", false}},
                           {"-z", {"filter through gzip.", false}},
                           {"-f", {"use archive file.", true}},
                           {"-C", {"change to directory.", true}}};
    return doc;
  }
  if (name == "git-commit") {
    doc.options.options = {{"-m", {"use the given message.", true}}};
    return doc;
  }
  if (name == "git") return doc;
  return std::nullopt;
}

std::vector<StagePart> parts(const std::string& command) {
  return command_parts(shell::parse(command).value(), fake_pages);
}

TEST(CommandParts, FlagsWithValuesBundledFlagsAndArguments) {
  const auto stages = parts("tar -xzf backup.tgz -C /srv --unknown=1 extra");
  ASSERT_EQ(stages.size(), 1u);
  const auto& tar = stages[0];
  EXPECT_EQ(tar.program, "tar");
  EXPECT_EQ(tar.summary, "an archiving utility");
  ASSERT_EQ(tar.flags.size(), 5u);
  EXPECT_EQ(tar.flags[0].flag, "-x");
  EXPECT_EQ(tar.flags[2].flag, "-f");
  EXPECT_EQ(tar.flags[2].description, "use archive file.");
  EXPECT_EQ(tar.flags[2].value, "backup.tgz");  // the last bundled flag takes the next word
  EXPECT_EQ(tar.flags[3].flag, "-C");
  EXPECT_EQ(tar.flags[3].value, "/srv");
  EXPECT_EQ(tar.flags[4].flag, "--unknown");
  EXPECT_EQ(tar.flags[4].value, "1");
  EXPECT_EQ(tar.flags[4].source, Source::none);
  EXPECT_EQ(tar.arguments, (std::vector<std::string>{"extra"}));
}

TEST(CommandParts, SubcommandPagesPipelineStagesAndRedirections) {
  const auto stages = parts("git commit -m 'fix it' && ls -la | wc -l > count.txt 2>&1");
  ASSERT_EQ(stages.size(), 3u);
  EXPECT_EQ(stages[0].subcommand, "commit");
  ASSERT_EQ(stages[0].flags.size(), 1u);
  EXPECT_EQ(stages[0].flags[0].value, "fix it");
  EXPECT_EQ(stages[0].flags[0].description, "use the given message.");
  EXPECT_EQ(stages[1].program, "ls");
  EXPECT_EQ(stages[1].flags[0].flag, "-la");  // no page: kept whole, undocumented
  EXPECT_EQ(stages[2].program, "wc");
  ASSERT_EQ(stages[2].redirections.size(), 2u);
  EXPECT_EQ(stages[2].redirections[0], "> count.txt: writes standard output to count.txt (replacing it)");
  EXPECT_NE(stages[2].redirections[1].find("2>&1"), std::string::npos);
}

TEST(CommandParts, AShortFlagWithItsValueAttached) {
  const auto stages = parts("tar -Cout -xf a.tar");
  ASSERT_EQ(stages[0].flags.size(), 3u);
  EXPECT_EQ(stages[0].flags[0].flag, "-C");
  EXPECT_EQ(stages[0].flags[0].value, "out");
  EXPECT_EQ(stages[0].flags[2].value, "a.tar");
}

TEST(CommandParts, NestedBodiesToo) {
  const auto stages = parts("(cd /tmp && tar -xf a.tar)");
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[1].program, "tar");
}

}  // namespace
}  // namespace cmdai::manual
