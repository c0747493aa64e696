#pragma once
// Where a path argument points, resolved the way the shell would against
// the working directory and $HOME: the validator rates "rm -rf build" in a
// project differently from "rm -rf build" when build is /usr.

#include <string>
#include <string_view>

#include "safety/validator.h"

namespace cmdai::safety {

enum class Scope {
  unknown,        // built from a variable that may be empty, or a substitution
  null_device,    // /dev/null, /dev/stdout, /dev/tty ...
  disk_device,    // /dev/sda, /dev/nvme0n1 ...
  root,           // / (or everything in it)
  system,         // a system directory itself: /usr, /etc, /var/lib, /home ...
  critical_file,  // /etc/passwd, /etc/shadow, /etc/sudoers, /boot/... : the system needs it
  system_inner,   // somewhere inside a system directory
  home,           // the home directory itself (or everything in it)
  sensitive,      // ~/.ssh, ~/.gnupg, ~/.aws ...
  ordinary,       // anything else
};

struct ResolvedPath {
  std::string path;  // absolute, lexically normalised ("." and ".." folded)
  Scope scope = Scope::ordinary;
  bool whole_contents = false;  // the argument was DIR/* or *: everything in path
};

// value: the argument with empty variables removed (Word::unset_value);
// dynamic: the argument contains an expansion.
// glob: a trailing * is a pattern (false when it was quoted or escaped).
ResolvedPath resolve_path(std::string_view value, bool dynamic, const ValidationContext& context, bool glob = true);

// Scopes that make a recursive delete / chmod / chown catastrophic.
bool is_catastrophic(Scope scope);

// A secret: private keys, credentials, password hashes, cloud and kube config.
bool is_secret_path(const ResolvedPath& path, const ValidationContext& context);

// Files whose loss cannot be undone by reinstalling: private keys and
// credentials (access is lost), shell history and login records (erasing
// them covers tracks).
enum class PathRole { none, credential, history };
PathRole role_of(const ResolvedPath& path, const ValidationContext& context);

// Shell startup files, cron, systemd units, authorized_keys, sudoers ...
enum class PersistenceKind { none, shell_rc, authorized_keys, scheduler, sudoers, preload };
PersistenceKind persistence_kind(const ResolvedPath& path, const ValidationContext& context);

}  // namespace cmdai::safety
