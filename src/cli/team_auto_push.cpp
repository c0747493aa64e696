// team.auto_push: after a new history entry, `cmdai team push` runs as a
// child in its own session with its output discarded. Nobody waits for it:
// the prompt (shell-record) or the request returns at once, and a server
// that is slow or down only delays the child (libpq's connect_timeout ends
// it). Entries it could not push stay queued for the next push.

#include <fcntl.h>
#include <spawn.h>

#include <array>

#include "cli/cmd_team.h"
#include "core/log.h"

extern char** environ;

namespace cmdai::cli {

void push_in_background(const config::ConfigurationState& config) {
  if (!config.team_auto_push || config.team_url.empty()) return;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  for (int fd : {0, 1, 2})
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  // Its own session: Ctrl-C at the prompt or the terminal closing does not
  // reach it, and the shell does not list it as a job.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  std::array<char*, 4> argv{const_cast<char*>("cmdai"), const_cast<char*>("team"), const_cast<char*>("push"), nullptr};
  pid_t child = 0;
  const int rc = posix_spawn(&child, "/proc/self/exe", &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) log::warn("team auto push could not start: " + std::to_string(rc));
}

}  // namespace cmdai::cli
