// cmdai check --why through the binary: the context that lowered a level
// (each kind, with its span and the rule it replaced, in plain and JSON
// form) and programs cmdai does not know (unverified; high when their
// arguments look destructive; known once found on PATH).

#include <sys/stat.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"

namespace cmdai {
namespace {

class WhyContextCli : public ::testing::Test {
 protected:
  testing::ProcessResult check(const std::vector<std::string>& args, const std::string& path = "/usr/bin:/bin") {
    std::vector<std::string> argv{CMDAI_BINARY, "check", "--cwd", m_cwd.path().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_process(
        argv, {{"CMDAI_HOME", m_home.path().string()}, {"HOME", m_home.path().string()}, {"PATH", path}});
  }
  nlohmann::json why_json(const std::string& command, const std::string& path = "/usr/bin:/bin") {
    const auto r = check({"--why", "--json", "--", command}, path);
    return nlohmann::json::parse(r.out);
  }
  // The one lowering of command, checked to be in the JSON with its span.
  nlohmann::json lowering(const std::string& command) {
    const auto j = why_json(command);
    EXPECT_EQ(j["lowered"].size(), 1U) << j.dump();
    if (j["lowered"].empty()) return {};
    const auto& l = j["lowered"][0];
    EXPECT_EQ(l["segment"],
              command.substr(l["span"]["begin"].get<std::size_t>(),
                             l["span"]["end"].get<std::size_t>() - l["span"]["begin"].get<std::size_t>()));
    return l;
  }
  testing::TempDir m_home;
  testing::TempDir m_cwd;
};

TEST_F(WhyContextCli, ImageFileNamedSoIsFormattedAsAFileNotADisk) {
  const auto l = lowering("mkfs.ext4 disk.img");
  EXPECT_EQ(l["id"], "lowered.image_file");
  EXPECT_EQ(l["instead_of"], "disk.format");
  auto plain = check({"--why", "--", "mkfs.ext4 disk.img"});
  EXPECT_EQ(plain.exit_code, 11) << plain.out;
  EXPECT_NE(plain.out.find("lowered: lowered.image_file (instead of disk.format)"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("span 0-18: mkfs.ext4 disk.img"), std::string::npos) << plain.out;
}

// The same name rates by what is on disk: a regular file is an image, a
// name that is not there may be a disk.
TEST_F(WhyContextCli, RegularFileOnDiskIsNotADevice) {
  EXPECT_EQ(check({"--", "mkfs.ext4 scratch"}).exit_code, 13);
  std::ofstream(m_cwd.path() / "scratch") << "image\n";
  const auto l = lowering("mkfs.ext4 scratch");
  EXPECT_EQ(l["id"], "lowered.regular_file");
  EXPECT_NE(l["context"].get<std::string>().find("scratch is a regular file"), std::string::npos) << l.dump();
  EXPECT_EQ(check({"--", "mkfs.ext4 scratch"}).exit_code, 11);
}

TEST_F(WhyContextCli, GuardedVariableCannotCollapseToRoot) {
  EXPECT_EQ(check({"--", "rm -rf \"${DIR}/\""}).exit_code, 13);
  EXPECT_EQ(check({"--", "rm -rf \"${DIR:?}/\""}).exit_code, 12);
  const auto l = lowering("rm -rf \"${DIR:?}/\"");
  EXPECT_EQ(l["id"], "lowered.guarded_variable");
  EXPECT_EQ(l["instead_of"], "rm.recursive_system");
  EXPECT_NE(l["context"].get<std::string>().find("${DIR:?}/"), std::string::npos) << l.dump();
}

TEST_F(WhyContextCli, SignalZeroOnlyProbes) {
  EXPECT_EQ(check({"--", "kill -0 4242"}).exit_code, 0);
  EXPECT_EQ(check({"--", "kill 4242"}).exit_code, 11);
  EXPECT_EQ(lowering("kill -0 4242")["id"], "lowered.liveness_probe");
  auto plain = check({"--why", "--", "kill -0 4242"});
  EXPECT_NE(plain.out.find("lowered: lowered.liveness_probe (instead of proc.kill)"), std::string::npos) << plain.out;
}

TEST_F(WhyContextCli, HelpOfADestructiveToolRunsNothing) {
  for (const std::string command : {"mkfs.ext4 --help", "shred -help", "iptables --help"}) {
    EXPECT_EQ(check({"--", command}).exit_code, 0) << command;
    EXPECT_EQ(lowering(command)["id"], "lowered.help") << command;
  }
  auto plain = check({"--why", "--", "mkfs.ext4 --help"});
  EXPECT_NE(plain.out.find("lowered: lowered.help (instead of disk.format)"), std::string::npos) << plain.out;
  // Nothing to lower: these are safe without the help request too.
  for (const std::string command : {"ls --help", "dd --version"}) EXPECT_TRUE(why_json(command)["lowered"].empty());
}

TEST_F(WhyContextCli, WorkingDirectoryThatIsNotHomeOrSystem) {
  const auto rm = lowering("rm -rf *");
  EXPECT_EQ(rm["id"], "lowered.working_directory");
  EXPECT_EQ(rm["instead_of"], "rm.recursive_system");
  EXPECT_EQ(lowering("find . -delete")["id"], "lowered.find_working_directory");
  EXPECT_EQ(check({"--", "find . -delete"}).exit_code, 12);
  // From home the same command is critical, and nothing is lowered.
  auto home = testing::run_process(
      {CMDAI_BINARY, "check", "--cwd", m_home.path().string(), "--why", "--json", "--", "find . -delete"},
      {{"CMDAI_HOME", m_home.path().string()}, {"HOME", m_home.path().string()}});
  EXPECT_EQ(home.exit_code, 13) << home.out;
  EXPECT_TRUE(nlohmann::json::parse(home.out)["lowered"].empty()) << home.out;
}

TEST_F(WhyContextCli, TemporaryDirectoryAndBoundedAppend) {
  const auto tmp = lowering("echo x > /var/tmp/cmdai-note");
  EXPECT_EQ(tmp["id"], "lowered.temporary_directory");
  EXPECT_EQ(check({"--", "echo x > /var/tmp/cmdai-note"}).exit_code, 11);
  EXPECT_EQ(check({"--", "echo x > /var/lib/cmdai-note"}).exit_code, 12);
  const auto hosts = lowering("echo '10.0.0.1 db' >> /etc/hosts");
  EXPECT_EQ(hosts["id"], "lowered.bounded_append");
  EXPECT_EQ(hosts["instead_of"], "redirect.critical");
  EXPECT_EQ(check({"--", "echo '10.0.0.1 db' >> /etc/hosts"}).exit_code, 12);
  EXPECT_EQ(check({"--", "echo '10.0.0.1 db' > /etc/hosts"}).exit_code, 13);
}

TEST_F(WhyContextCli, UnknownProgramWithDestructiveArgumentsIsHigh) {
  for (const std::string command : {"./frob --force --delete /", "mytool rm -rf ~"}) {
    auto plain = check({"--why", "--", command});
    EXPECT_EQ(plain.exit_code, 12) << command << "\n" << plain.out;
    EXPECT_NE(plain.out.find("unknown program"), std::string::npos) << plain.out;
    EXPECT_FALSE(why_json(command)["unverified"].empty()) << command;
  }
}

TEST_F(WhyContextCli, UnknownProgramIsUnverifiedAndModerate) {
  auto plain = check({"--why", "--", "frobnicate --list"});
  EXPECT_EQ(plain.exit_code, 11) << plain.out;
  EXPECT_NE(plain.out.find("program.unknown [moderate]"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("unverified: runs a program cmdai does not know"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("because: unknown program 'frobnicate'"), std::string::npos) << plain.out;
  EXPECT_TRUE(why_json("ls -la")["unverified"].empty());
  EXPECT_EQ(check({"--", "ls -la"}).exit_code, 0);
  EXPECT_TRUE(why_json("f() { ls; }; f")["unverified"].empty());  // the script's own function
  EXPECT_EQ(check({"--", "f() { ls; }; f"}).exit_code, 0);
}

// A program found on PATH is known; the same name written as a path to a
// script is not.
TEST_F(WhyContextCli, ProgramOnPathIsKnown) {
  testing::TempDir bin;
  const auto tool = bin.path() / "frobnicate";
  std::ofstream(tool) << "#!/bin/sh\n";
  std::filesystem::permissions(tool, std::filesystem::perms::owner_all);
  const std::string path = bin.path().string() + ":/usr/bin:/bin";
  EXPECT_TRUE(why_json("frobnicate --list", path)["unverified"].empty());
  EXPECT_EQ(check({"--", "frobnicate --list"}, path).exit_code, 0);
  EXPECT_FALSE(why_json(tool.string() + " --list", path)["unverified"].empty());
  EXPECT_EQ(check({"--", tool.string() + " --list"}, path).exit_code, 11);
  EXPECT_FALSE(why_json("frobnicate --list")["unverified"].empty());
  EXPECT_EQ(check({"--", "frobnicate --list"}).exit_code, 11);
}

// What a named path really is: cmdai follows a link in the working
// directory. A link named like an image to a character device (/dev/null,
// always there) is formatted as a device; to a block device (when this
// machine has one cmdai can stat) it is a disk for mkfs and dd alike.
TEST_F(WhyContextCli, LinkToADeviceIsSeenThroughItsName) {
  std::filesystem::create_symlink("/dev/null", m_cwd.path() / "null.img");
  ASSERT_EQ(std::filesystem::status(m_cwd.path() / "null.img").type(), std::filesystem::file_type::character);
  auto plain = check({"--why", "--", "mkfs.ext4 null.img"});
  EXPECT_EQ(plain.exit_code, 13) << plain.out;
  EXPECT_NE(plain.out.find("disk.format [critical]"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("null.img is a device or special file"), std::string::npos) << plain.out;
  EXPECT_TRUE(why_json("mkfs.ext4 null.img")["lowered"].empty());

  std::ofstream(m_cwd.path() / "real.img") << "image\n";
  std::filesystem::create_symlink(m_cwd.path() / "real.img", m_cwd.path() / "link.img");
  EXPECT_EQ(lowering("mkfs.ext4 link.img")["id"], "lowered.regular_file");

  std::filesystem::path block;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/dev", ec)) {
    if (entry.is_block_file(ec)) {
      block = entry.path();
      break;
    }
  }
  if (block.empty()) GTEST_SKIP() << "no block device under /dev to link to";
  std::filesystem::create_symlink(block, m_cwd.path() / "disk.img");
  auto disk = check({"--why", "--json", "--", "mkfs.ext4 disk.img"});
  EXPECT_EQ(disk.exit_code, 13) << disk.out;
  const auto j = nlohmann::json::parse(disk.out);
  EXPECT_TRUE(j["lowered"].empty()) << disk.out;
  EXPECT_EQ(check({"--", "dd if=/dev/zero of=disk.img bs=1M"}).exit_code, 13);
  EXPECT_EQ(check({"--", "dd if=/dev/zero of=other.img bs=1M"}).exit_code, 11);
}

}  // namespace
}  // namespace cmdai
