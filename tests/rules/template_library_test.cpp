#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "rules/render.h"
#include "rules/slots.h"
#include "rules/templates.h"

namespace cmdai::rules {
namespace {

TEST(RulesLibrary, HoldsSeveralHundredTemplatesInEveryCategory) {
  const auto& library = template_library();
  EXPECT_GE(library.templates.size(), 300u);
  std::map<std::string, int> per_category;
  for (const auto& t : library.templates) ++per_category[std::string(t.row->category)];
  for (const char* category : {"find", "text", "archive", "disk", "process", "network", "git", "permissions", "system",
                               "dates", "env", "containers", "packages"}) {
    EXPECT_GE(per_category[category], 15) << category;
  }
}

TEST(RulesLibrary, IdsAreUniqueAndEveryRowNeedsAWord) {
  std::set<std::string_view> ids;
  for (const auto& t : template_library().templates) {
    EXPECT_TRUE(ids.insert(t.row->id).second) << "duplicate id " << t.row->id;
    EXPECT_FALSE(t.required.empty()) << t.row->id << " would match any request";
    EXPECT_FALSE(t.row->explanation.empty()) << t.row->id;
  }
}

// Every placeholder in every pattern is closed and names something the
// renderer knows: a typo in the table fails here, not at a user's request.
void expect_placeholders_known(std::string_view id, std::string_view pattern) {
  std::size_t at = 0;
  while ((at = pattern.find("%{", at)) != std::string_view::npos) {
    if (at > 0 && pattern[at - 1] == '%') {
      at += 2;
      continue;
    }
    const auto close = pattern.find('}', at);
    ASSERT_NE(close, std::string_view::npos) << id << ": unclosed placeholder";
    std::string_view spec = pattern.substr(at + 2, close - at - 2);
    std::size_t start = 0;
    while (start <= spec.size()) {
      const auto end = std::min(spec.find('|', start), spec.size());
      const auto alternative = spec.substr(start, end - start);
      EXPECT_TRUE(is_placeholder_alternative(alternative)) << id << ": unknown placeholder '" << alternative << "'";
      start = end + 1;
    }
    at = close + 1;
  }
}

TEST(RulesLibrary, PlaceholdersAreClosedAndKnown) {
  for (const auto& t : template_library().templates) {
    expect_placeholders_known(t.row->id, t.row->gnu);
    expect_placeholders_known(t.row->id, t.row->bsd);
    expect_placeholders_known(t.row->id, t.row->explanation);
  }
}

TEST(RulesLibrary, AnAmountTypedAsDigitsIsNotExcusedByItsUnit) {
  // The date template lists "day"; it does not use the 90.
  const auto match = match_request("date 90 days from today?", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("90") != std::string::npos) << match->answer.command;
}

TEST(RulesLibrary, ATemplateWithAFixedPlaceDeclinesANamedOne) {
  // The virtualenv template always writes .venv.
  const auto match = match_request("create a python virtualenv in venv", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find(".venv") == std::string::npos) << match->answer.command;
  EXPECT_TRUE(match_request("create a python virtualenv", Userland::gnu).has_value());
}

TEST(RulesLibrary, DeviceUserAndProcessTemplatesCarryEveryValue) {
  const std::pair<const char*, const char*> cases[] = {
      {"mount /dev/sdc2 on /mnt/backup", "sudo mount /dev/sdc2 /mnt/backup"},
      {"format /dev/sdd1 as ext4", "sudo mkfs.ext4 /dev/sdd1"},
      {"smart health of /dev/sda", "sudo smartctl -H /dev/sda"},
      {"change the password of user lena", "sudo passwd lena"},
      {"create a group called testers", "sudo groupadd testers"},
      {"trace the system calls of pid 321", "sudo strace -p 321"},
      {"which shared libraries does ./app need", "ldd ./app"},
      {"show the process tree of pid 77", "pstree -p 77"},
      {"suspend pid 808", "kill -STOP 808"},
      {"resume the stopped process 808", "kill -CONT 808"},
      {"top but only for pid 909", "top -p 909"},
      {"show partitions on /dev/sdb", "lsblk /dev/sdb"},
      {"check the filesystem on /dev/sdc1 for errors", "sudo fsck /dev/sdc1"},
  };
  for (const auto& [request, command] : cases) {
    const auto match = match_request(request, Userland::gnu);
    ASSERT_TRUE(match.has_value()) << request;
    EXPECT_EQ(match->answer.command, command) << request;
  }
}

TEST(RulesLibrary, NamedCountsUsersAndOrdersAreAnswered) {
  const std::pair<const char*, const char*> cases[] = {
      {"run make with 8 jobs", "make -j8"},
      {"lock the account of trainee", "sudo usermod -L trainee"},
      {"uid of the user gitlab-runner", "id -u gitlab-runner"},
      {"sort sizes.txt numerically, largest first", "sort -nr sizes.txt"},
      {"number the lines of song.txt", "cat -n song.txt"},
      {"last 30 journal lines for cron", "journalctl -u cron -n 30 --no-pager"},
  };
  for (const auto& [request, command] : cases) {
    const auto match = match_request(request, Userland::gnu);
    ASSERT_TRUE(match.has_value()) << request;
    EXPECT_EQ(match->answer.command, command) << request;
  }
  // "8601" names the standard: the command carries it.
  const auto iso = match_request("current time in ISO 8601 format", Userland::gnu);
  ASSERT_TRUE(iso.has_value());
  EXPECT_NE(iso->answer.command.find("8601"), std::string::npos);
}

TEST(RulesLibrary, AFilesystemTypeIsAModifier) {
  // A listing of every mount does not answer a question about ext4 ones.
  const auto match = match_request("show mounted btrfs filesystems", Userland::gnu);
  EXPECT_TRUE(!match || match->answer.command.find("btrfs") != std::string::npos) << match->answer.command;
}

std::string answer_of(std::string_view request) {
  const auto match = match_request(request, Userland::gnu);
  return match ? match->answer.command : "-";
}

TEST(RulesLibrary, WhatAThingUsesIsNotTheFreeSpaceOfItsFilesystem) {
  EXPECT_EQ(answer_of("how much disk space does ./media use"), "du -sh ./media");
  EXPECT_EQ(answer_of("how much space is left on /var"), "df -h /var");
  EXPECT_NE(answer_of("how much space does /opt/tools take").rfind("df ", 0), 0u);
}

TEST(RulesLibrary, AShellIsNotAService) {
  for (const char* request : {"reload my zsh config", "restart bash", "reload the fish config"}) {
    EXPECT_EQ(answer_of(request).find("systemctl"), std::string::npos) << request;
  }
  EXPECT_EQ(answer_of("reload my zsh config"), "source ~/.zshrc");
  EXPECT_EQ(answer_of("reload nginx"), "sudo systemctl reload nginx");
}

TEST(RulesLibrary, ATemplateForAnotherQuestionStepsAside) {
  // Timers to list are systemd's, not a stopwatch to start.
  EXPECT_EQ(answer_of("show systemd timers"), "systemctl list-timers");
  EXPECT_EQ(answer_of("start a stopwatch"), "time read -r -p 'Press Enter to stop '");
  // "How many different lines" is one number, not a tally per line.
  EXPECT_EQ(answer_of("how many different lines does words.txt have"), "sort -u words.txt | wc -l");
  EXPECT_EQ(answer_of("how many distinct lines are in ids.txt"), "sort -u ids.txt | wc -l");
}

TEST(RulesLibrary, CommonRequestsAreAnsweredWithEveryValueTheyName) {
  const std::pair<const char*, const char*> cases[] = {
      {"install curl and jq", "sudo apt install curl jq"},
      {"reinstall openssh-server", "sudo apt install --reinstall openssh-server"},
      {"shuffle names.txt", "shuf names.txt"},
      {"sha1 of disk.iso", "sha1sum disk.iso"},
      {"gzip big.json with the fastest compression", "gzip -1 big.json"},
      {"extract pics.zip without overwriting existing files", "unzip -n pics.zip"},
      {"which ports does container web-3 publish", "docker port web-3"},
      {"is the cron service enabled", "systemctl is-enabled cron"},
      {"recent logins of marta", "last marta"},
      {"uid and gid of nobody", "id nobody"},
      {"give others read access to page.html", "chmod o+r page.html"},
      {"remove write permission for the group on a.txt", "chmod g-w a.txt"},
      {"list ~/src in reverse order", "ls -r ~/src"},
      {"run the cargo tests", "cargo test"},
      {"how big is the journal", "journalctl --disk-usage"},
      {"fully qualified domain name of this host", "hostname -f"},
      {"test if 10.0.0.5 accepts connections on port 22", "nc -zv 10.0.0.5 22"},
  };
  for (const auto& [request, command] : cases) EXPECT_EQ(answer_of(request), command) << request;
}

TEST(RulesLibrary, WhichFilesChangedIsAnsweredWithNamesNotADiff) {
  EXPECT_EQ(answer_of("what files changed in the last commit"), "git show --name-only --oneline HEAD");
  EXPECT_EQ(answer_of("what did the last commit change"), "git show HEAD");
  EXPECT_EQ(answer_of("list the files that differ between trunk and rel-2"), "git diff --name-only 'trunk'..'rel-2'");
  EXPECT_EQ(answer_of("diff between trunk and rel-2"), "git diff 'trunk'..'rel-2'");
}

TEST(RulesLibrary, ACompressionLevelAskedForIsHonoured) {
  EXPECT_EQ(answer_of("compress db.dump with xz at the highest level"), "xz -9 db.dump");
  EXPECT_EQ(answer_of("gzip data.csv with the best compression"), "gzip -9 data.csv");
  EXPECT_EQ(answer_of("bzip2 notes.tar with maximum compression"), "bzip2 -9 notes.tar");
  EXPECT_EQ(answer_of("gzip big.json with the fastest compression"), "gzip -1 big.json");
  EXPECT_EQ(answer_of("xz big.tar"), "xz big.tar");
}

TEST(RulesLibrary, UserGroupProcessAndToolRequestsKeepEveryValue) {
  const std::pair<const char*, const char*> cases[] = {
      {"add olga to the group wheel", "sudo usermod -aG wheel olga"},
      {"take olga out of the plugdev group", "sudo gpasswd -d olga plugdev"},
      {"expire the password of user lena", "sudo passwd -e lena"},
      {"create a group named qa-team with gid 3100", "sudo groupadd -g 3100 qa-team"},
      {"rename the user bert to bert.k", "sudo usermod -l bert.k bert"},
      {"git history oldest first", "git log --reverse"},
      {"parent pid of 4242", "ps -o ppid= -p 4242"},
      {"freeze process 777 without killing it", "kill -STOP 777"},
      {"start the ssh agent", "eval \"$(ssh-agent -s)\""},
      {"create a venv called .venv-docs", "python3 -m venv '.venv-docs'"},
      {"syntax-check install.sh without running it", "bash -n install.sh"},
      {"strip the debug symbols from ./server", "strip ./server"},
      {"start a php server on port 8090", "php -S localhost:8090"},
      {"logs of the ssh unit, newest first", "journalctl -u ssh -r --no-pager"},
      {"line numbers where 'oops' shows up in x.log", "grep -n -- 'oops' x.log"},
  };
  for (const auto& [request, command] : cases) EXPECT_EQ(answer_of(request), command) << request;
  // strip rewrites a binary: never the answer to a question about one, nor
  // to removing debug code from a source file.
  EXPECT_EQ(answer_of("what symbols does libbar.so export").find("strip"), std::string::npos);
  EXPECT_EQ(answer_of("remove the debug statements from main.py").find("strip"), std::string::npos);
  // A home directory named with the user is the user's: never a plain userdel.
  EXPECT_EQ(answer_of("delete the user temp1 and its home directory").find("userdel temp1"), std::string::npos);
}

// A spelled-out number the template knows as a word ("one line each") does
// not stand for a count it drops ("the last 7 commits"); nor is "one line
// each" a count of one.
TEST(RulesLibrary, ANumberWordNeverExcusesADroppedCount) {
  EXPECT_EQ(answer_of("show the last 7 commits, one line each"), "git log --oneline -n 7");
  EXPECT_EQ(answer_of("show the commits one line each"), "git log --oneline");
  EXPECT_EQ(answer_of("last 20 commits"), "git log --oneline -n 20");
}

// A plural asks for the history, the singular for the latest one; a
// password's length in characters is no count of random bytes; hidden
// files "in" a directory are its entries, not a search below it.
TEST(RulesLibrary, WhatTheRequestCountsIsWhatTheCommandCounts) {
  EXPECT_EQ(answer_of("show the last reboots"), "last reboot");
  EXPECT_EQ(answer_of("show the last reboot"), "uptime -s");
  EXPECT_EQ(answer_of("generate a random password of 24 characters"),
            "tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 24; echo");
  EXPECT_EQ(answer_of("generate a random password"), "openssl rand -base64 24");
  EXPECT_EQ(answer_of("show hidden files in ~/cfg"), "ls -A ~/cfg");
  EXPECT_EQ(answer_of("find hidden files under src"), "find src -mindepth 1 -name '.*'");
}

// Users, groups and volumes named the way people name them: a name after
// "user" is never a slip of a word ("marek" is not "mark"), "his home
// folder" is the user's home, not yours, and "the sudo group" names the
// group before the word "group".
TEST(RulesLibrary, UsersGroupsAndVolumesKeepTheirNames) {
  EXPECT_EQ(answer_of("take user marek out of the docker group"), "sudo gpasswd -d marek docker");
  EXPECT_EQ(answer_of("add user jana to the sudo group"), "sudo usermod -aG sudo jana");
  EXPECT_EQ(answer_of("add bob to group docker"), "sudo usermod -aG docker bob");
  EXPECT_EQ(answer_of("delete the user bob and his home directory"), "sudo userdel -r bob");
  EXPECT_EQ(answer_of("delete user tomasz along with his home folder"), "sudo userdel -r tomasz");
  EXPECT_EQ(answer_of("create a group caled auditors"), "sudo groupadd auditors");
  EXPECT_EQ(answer_of("remove the volume pgdata_old"), "docker volume rm pgdata_old");
  EXPECT_EQ(answer_of("remove unused volumes"), "docker volume prune");
}

// One word of the request fills one placeholder: a user named before
// "group" is not also the group, and a placeholder written twice repeats
// its one value.
TEST(RulesLibrary, OneRequestWordFillsOnePlaceholder) {
  EXPECT_EQ(answer_of("remove bob from group wheel"), "sudo gpasswd -d bob wheel");
  EXPECT_EQ(answer_of("remove bob from group audio"), "sudo gpasswd -d bob audio");
  EXPECT_EQ(answer_of("remove carol from the sudo group"), "sudo gpasswd -d carol sudo");
  for (const char* request : {"remove bob from group wheel", "remove erin from group plugdev"}) {
    const std::string answer = answer_of(request);
    EXPECT_EQ(answer.find("bob bob"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("erin erin"), std::string::npos) << answer;
  }
}

// "v3.1.0" and "3.0.0" are versions, not file names with an extension "0";
// a value a pattern repeats on purpose is no program naming itself.
TEST(RulesLibrary, AVersionIsAValueOfItsOwn) {
  EXPECT_EQ(answer_of("tag the current commit as v3.1.0"), "git tag -a v3.1.0 -m v3.1.0");
  EXPECT_EQ(answer_of("create tag v3.1.0"), "git tag -a v3.1.0 -m v3.1.0");
  EXPECT_EQ(answer_of("with pip, install pendulum version 3.0.0"), "python3 -m pip install pendulum==3.0.0");
  EXPECT_EQ(answer_of("list the tags"), "git tag --list");
  // A file whose name ends in a number is still a file.
  EXPECT_EQ(answer_of("show the last 20 lines of syslog.1"), "tail -n 20 syslog.1");
}

// A unit's or a container's log over a time, a service stopped and disabled
// at once, the kernel's messages of this boot.
TEST(RulesLibrary, LogsOverATimeAndServicesStoppedForGood) {
  EXPECT_EQ(answer_of("logs for anacron since yesterday"), "journalctl -u anacron --since=yesterday --no-pager");
  EXPECT_EQ(answer_of("show the logs of container edge-proxy from the last 2 hours"),
            "docker logs --since 120m edge-proxy");
  EXPECT_EQ(answer_of("stop and disable ModemManager"), "sudo systemctl disable --now ModemManager");
  EXPECT_EQ(answer_of("disable ModemManager"), "sudo systemctl disable ModemManager");
  EXPECT_EQ(answer_of("kernel messages from this boot"), "journalctl -k -b --no-pager");
  // Without a time the recent lines, as before.
  EXPECT_EQ(answer_of("logs of container edge-proxy"), "docker logs edge-proxy");
}

// A file below a relative directory is a path; a slip that drops a letter
// is read as the longer word.
TEST(RulesLibrary, RelativeFilePathsAndDroppedLetters) {
  EXPECT_EQ(answer_of("who changed each line of lib/parser.c"), "git blame -- lib/parser.c");
  EXPECT_EQ(answer_of("extract only config/app.ini from assets.tar.gz"), "tar -xf assets.tar.gz config/app.ini");
  EXPECT_EQ(answer_of("add execute for the owner on tools/gen.sh"), "chmod u+x tools/gen.sh");
  EXPECT_EQ(answer_of("restart the docker servce"), "sudo systemctl restart docker");
  // A branch, an image or a remote with a slash is no path.
  const Slots branch = extract_slots("switch to the branch release/2.4 and pull redis:7/x.y");
  EXPECT_TRUE(branch.paths.empty());
}

// npm's global removal and scoped dev dependencies, the untracked files of
// a stash, what one commit changed.
TEST(RulesLibrary, PackagesAndStashesTheWayNewcomersAsk) {
  EXPECT_EQ(answer_of("uninstall nodemon from npm globally"), "npm uninstall -g nodemon");
  EXPECT_EQ(answer_of("uninstall lodash with npm"), "npm uninstall lodash");
  EXPECT_EQ(answer_of("install @types/node as a dev dependency"), "npm install --save-dev @types/node");
  EXPECT_EQ(answer_of("stash my changes including untracked files"), "git stash push --include-untracked");
  EXPECT_EQ(answer_of("stash my changes"), "git stash push");
  EXPECT_EQ(answer_of("what did commit 4e1f9ab change"), "git show 4e1f9ab");
}

// Everyday SSH chores: a command run remotely, agent forwarding, the agent
// loaded, a key's fingerprint, a host forgotten, a key with a comment.
TEST(RulesLibrary, EverydaySshChores) {
  EXPECT_EQ(answer_of("run uptime on prod-db-2 over ssh"), "ssh prod-db-2 uptime");
  EXPECT_EQ(answer_of("ssh to builder with agent forwarding"), "ssh -A builder");
  EXPECT_EQ(answer_of("add my key to the ssh agent"), "ssh-add");
  EXPECT_EQ(answer_of("start the ssh agent"), "eval \"$(ssh-agent -s)\"");
  EXPECT_EQ(answer_of("show the fingerprint of ~/.ssh/work_rsa.pub"), "ssh-keygen -lf ~/.ssh/work_rsa.pub");
  EXPECT_EQ(answer_of("remove the old host key for 192.168.7.40 from known_hosts"), "ssh-keygen -R 192.168.7.40");
  EXPECT_EQ(answer_of("generate an ed25519 key with the comment 'åsa@laptop'"),
            "ssh-keygen -t ed25519 -C 'åsa@laptop'");
  // A key of another type is not labelled by the Ed25519 template.
  EXPECT_EQ(answer_of("generate an rsa key with the comment 'x@y'").find("ed25519"), std::string::npos);
}

TEST(RulesLibrary, MemoryEstimateCoversTheRows) {
  const auto& library = template_library();
  std::size_t text = 0;
  for (const auto& t : library.templates) text += t.row->gnu.size() + t.row->words.size();
  EXPECT_GT(library.memory_bytes(), text);
}

}  // namespace
}  // namespace cmdai::rules
