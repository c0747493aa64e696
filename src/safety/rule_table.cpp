#include "safety/rule_table.h"

#include <algorithm>
#include <array>

namespace cmdai::safety {
namespace {

using enum RiskLevel;

constexpr RuleInfo k_rules[] = {
    // shell structure
    {"parse.error", high, "the command could not be parsed, so cmdai cannot tell what it runs"},
    {"parse.too_deep", high, "the command nests code deeper than cmdai follows"},
    {"shell.dynamic_command", moderate, "the program name comes from a variable"},
    {"shell.computed_command", high, "the program name is computed when the command runs"},
    {"shell.eval_dynamic", high, "runs code that is only known when the command runs"},
    {"shell.hidden_command", high,
     "runs a command read from data cmdai cannot see (a file, decoded text, another program)"},
    {"shell.unknown_destructive", high, "an unknown program gets arguments that look destructive"},
    {"program.unknown", moderate,
     "runs a program cmdai does not know (not a shell builtin, not in its tables, not found on PATH), so what it does "
     "is unverified"},
    {"shell.preload", high, "loads a library into the program (LD_PRELOAD)"},
    {"shell.hijack", high,
     "changes what later commands in this shell run (a shadowing alias or function, PATH, a hook)"},
    {"history.disable", moderate, "stops the shell from keeping history"},
    {"custom.pattern", high, "matches one of your custom safety patterns"},
    // files
    {"rm.files", moderate, "deletes files", k_escalate_root},
    {"rm.recursive", high, "recursively deletes files"},
    {"rm.recursive_system", critical, "recursively deletes a system directory, the home directory or /"},
    {"rm.system_file", critical, "deletes a file the system needs to run or log in"},
    {"rm.system_inner", high, "deletes files inside a system directory"},
    {"rm.dynamic_target", high, "recursively deletes a path built from a variable that may be empty"},
    {"rm.interactive", moderate, "deletes files, asking before each one"},
    {"rmdir.dirs", moderate, "removes empty directories"},
    {"find.delete", high, "deletes every file find matches"},
    {"find.delete_system", critical, "deletes everything under a system directory, the home directory or /"},
    {"files.move", moderate, "moves or renames files, possibly over existing ones", k_escalate_root},
    {"files.copy", moderate, "copies files, possibly over existing ones", k_escalate_root},
    {"files.link", moderate, "creates or replaces a link", k_escalate_root},
    {"files.move_system", critical, "moves away a system directory, the home directory or /"},
    {"files.to_null", high, "moves files onto /dev/null, destroying them"},
    {"files.overwrite_system", high, "overwrites files in a system directory"},
    {"files.overwrite_critical", critical, "overwrites a file the system needs to run or log in"},
    {"files.truncate", high, "empties a file's contents"},
    {"files.shred", high, "overwrites files so they cannot be recovered"},
    {"files.destroy_credential", critical, "destroys a private key or credentials file (access is lost for good)"},
    {"files.erase_history", critical, "erases shell history or login records (covers tracks)"},
    {"files.extract", moderate, "extracts an archive, replacing files of the same names"},
    {"files.extract_system", critical, "extracts an archive over / or a system directory, replacing system files"},
    {"files.archive", moderate, "writes an archive file, replacing one of the same name"},
    {"files.compress", moderate, "replaces files with compressed copies"},
    {"redirect.write", moderate, "writes to a file, replacing or extending its contents"},
    {"redirect.system", high, "writes to a file in a system directory"},
    {"redirect.critical", critical, "overwrites a file the system needs to run or log in"},
    {"redirect.device", critical, "writes straight to a disk device"},
    {"redirect.sysrq", critical, "triggers a kernel SysRq action (crash, reboot)"},
    {"perm.change", moderate, "changes file permissions or ownership", k_escalate_root},
    {"perm.recursive_world", high, "makes a whole tree writable by everyone"},
    {"perm.system", high, "changes permissions or ownership of system files"},
    {"perm.recursive_system", critical, "changes permissions or ownership of a whole system tree, home or /"},
    {"perm.expose_secret", critical, "makes a secret (password hashes, private keys) readable by others"},
    {"files.edit_in_place", moderate, "edits files in place", k_escalate_root},
    {"perm.setuid", high, "sets the setuid/setgid bit: the program runs with its owner's rights"},
    {"perm.setuid_shell", critical, "makes a shell or interpreter setuid: anyone can become its owner"},
    {"perm.capability", high, "gives a program capabilities that amount to root"},
    {"perm.capability_shell", critical,
     "gives an interpreter capabilities that amount to root: anyone can become root"},
    {"perm.immutable", moderate, "changes immutable/append-only attributes"},
    {"perm.immutable_system", high, "changes immutable/append-only attributes of system files"},
    // disks
    {"disk.format", critical, "formats a device, destroying its data"},
    {"disk.format_image", moderate, "formats an image file (a regular file, not a disk)"},
    {"disk.wipe_signatures", critical, "erases filesystem signatures from a device"},
    {"disk.raw_write", critical, "writes raw data to a disk device"},
    {"disk.partition", critical, "rewrites a disk's partition table"},
    {"disk.partition_interactive", high, "opens a partition editor on a disk"},
    {"disk.discard", critical, "discards every block on a device"},
    {"disk.copy", moderate, "copies raw data to a file"},
    {"disk.mount", moderate, "mounts or unmounts a filesystem", k_escalate_root},
    // processes and the system
    {"proc.kill", moderate, "stops processes"},
    {"proc.kill_by_name", high, "stops every process with that name"},
    {"proc.kill_all", critical, "kills every process you can signal, or init"},
    {"proc.fork_bomb", critical, "a fork bomb: spawns processes until the machine stops responding"},
    {"system.power", high, "shuts down or restarts the machine", k_escalate_ssh},
    {"system.service_change", moderate, "starts, restarts or enables a service", k_escalate_root},
    {"system.service_stop", high, "stops or disables a service", k_escalate_ssh},
    {"system.remote_access_stop", high, "stops the SSH or network service", k_escalate_ssh},
    {"system.sysctl", moderate, "changes kernel parameters"},
    {"network.down", critical, "takes the network down (over SSH you lose the machine)"},
    {"network.change", moderate, "changes network interfaces, addresses or routes"},
    {"logs.vacuum", moderate, "deletes old system logs"},
    {"logs.vacuum_all", critical, "deletes (nearly) all system logs"},
    {"cron.edit", moderate, "edits your crontab"},
    {"cron.replace", high, "replaces your crontab (persistence)"},
    {"cron.remove", high, "deletes your whole crontab"},
    {"firewall.change", moderate, "changes firewall rules", k_escalate_ssh},
    {"firewall.flush", critical, "removes or disables firewall rules: every port is open"},
    {"firewall.lockdown", critical, "drops all network traffic"},
    {"firewall.flush_table", high, "removes the NAT or packet-mangling rules"},
    {"security.selinux_off", critical, "turns off SELinux enforcement"},
    {"security.apparmor_off", critical, "unloads AppArmor profiles or stops enforcing them"},
    {"security.service_off", critical, "stops or disables a firewall or security service"},
    {"security.change", moderate, "changes security policy"},
    {"users.change", moderate, "creates or changes a user account or password", k_escalate_root},
    {"users.delete", high, "deletes a user account"},
    {"users.privilege", high, "gives a user administrator rights"},
    {"users.root_uid", critical, "gives an account uid 0 (root)"},
    {"users.no_password", high, "removes a password: the account opens without one"},
    {"sudoers.write", critical, "changes who may run commands as root (sudoers)"},
    {"persist.shell_rc", moderate, "changes a shell startup file"},
    {"persist.shell_rc_replace", high, "replaces a shell startup file"},
    {"persist.authorized_keys", high, "changes which SSH keys may log in"},
    {"persist.authorized_keys_other", high, "changes which SSH keys may log in as root or another user",
     k_escalate_sudo},
    {"persist.system", high, "installs something that runs at boot or on a schedule"},
    {"persist.dangerous", critical, "persists a dangerous command (it runs again at login or on a schedule)"},
    {"persist.preload", critical, "makes every program load a library (/etc/ld.so.preload)"},
    // packages and publishing
    {"pkg.install", moderate, "installs or upgrades packages"},
    {"pkg.remove", moderate, "removes packages"},
    {"pkg.purge", high, "purges packages and their configuration"},
    {"pkg.remove_essential", critical, "removes a package the system needs to boot or log in"},
    {"publish.release", high, "publishes a package to a public registry (cannot be taken back)"},
    {"pkg.break_system", high, "installs packages over the system's own Python packages"},
    {"pkg.break_system_remote", critical, "installs code from a URL over the system's own Python packages"},
    {"build.install", moderate, "installs what was built into the system"},
    {"build.clean", moderate, "deletes build outputs"},
    {"keys.generate", moderate, "creates a key pair (an existing key of that name is replaced)"},
    {"keys.change", moderate, "changes a key or known_hosts"},
    {"net.copy_key", moderate, "adds your key to another machine's authorized_keys"},
    // version control
    {"git.publish", moderate, "publishes commits to a remote"},
    {"git.history_change", moderate, "changes branch history locally (merge, rebase, reset)", k_escalate_branch},
    {"git.force_push", high, "force-pushes: rewrites history on the remote", k_escalate_branch},
    {"git.force_push_lease", moderate, "force-pushes, refusing to overwrite commits it has not seen",
     k_escalate_branch},
    {"git.discard_changes", high, "discards uncommitted changes"},
    {"git.clean", high, "deletes untracked files"},
    {"git.delete_branch", high, "deletes a branch even if it is not merged", k_escalate_branch},
    {"git.delete_remote_branch", high, "deletes a branch on the remote", k_escalate_branch},
    {"git.rewrite_history", high, "rewrites the whole history of the repository", k_escalate_branch},
    {"git.expire_reflog", high, "expires the reflog: lost commits can no longer be recovered"},
    {"git.state_change", moderate, "changes the repository"},
    {"git.config", moderate, "changes git settings"},
    {"git.clone", moderate, "downloads a repository into a new directory"},
    {"persist.exec_hook", critical, "makes git run a program from a directory anyone can write, from now on"},
    // containers, clusters, cloud
    {"container.change", moderate, "creates, starts or removes containers or images", k_escalate_kube},
    {"container.prune", high, "deletes unused containers, images, networks or volumes"},
    {"container.volume_delete", high, "deletes container volumes and their data"},
    {"container.remove_all", critical, "removes every container or volume, with their data"},
    {"container.prune_all", critical, "deletes every unused container, image and volume without asking"},
    {"container.privileged", high, "runs a container with full access to the host"},
    {"container.host_root", critical, "mounts the host's root filesystem into a container"},
    {"kube.change", moderate, "changes cluster resources", k_escalate_kube},
    {"kube.delete", high, "deletes cluster resources", k_escalate_kube},
    {"kube.delete_all", critical, "deletes a namespace or every resource of a kind"},
    {"helm.change", moderate, "installs or upgrades a release", k_escalate_kube},
    {"helm.uninstall", high, "uninstalls a release", k_escalate_kube},
    {"iac.apply", high, "applies infrastructure changes"},
    {"iac.destroy", high, "destroys managed infrastructure (asks first)"},
    {"iac.destroy_now", critical, "destroys managed infrastructure without asking"},
    {"cloud.change", moderate, "changes cloud resources"},
    {"cloud.delete", high, "deletes cloud resources"},
    {"cloud.delete_all", critical, "deletes a whole bucket, project or resource group"},
    // databases
    {"db.write", moderate, "changes data in a database"},
    {"db.script", moderate, "runs SQL from a file cmdai does not read"},
    {"db.destructive", high, "drops or empties tables, or changes every row"},
    {"db.drop_database", critical, "drops a whole database"},
    {"db.flush_all", critical, "deletes every key in the data store"},
    // network and execution flow
    {"net.upload", moderate, "sends data to another machine"},
    {"net.upload_file", high, "uploads the contents of a local file to another machine"},
    {"net.download", moderate, "downloads a file, replacing one of the same name"},
    {"net.listener", moderate, "listens for network connections"},
    {"net.reverse_shell", critical, "connects a shell to the network (reverse or bind shell)"},
    {"net.dev_tcp", high, "opens a raw network connection from the shell"},
    {"exec.remote_code", critical, "downloads code and runs it without showing it to you"},
    {"exec.decoded_code", critical, "decodes hidden data and runs it as code"},
    {"exec.downloaded_file", critical, "runs a file it has just downloaded"},
    {"exec.unseen_code", moderate, "runs code cmdai cannot see"},
    {"exfil.secret", critical, "sends secrets (keys, passwords, environment) to the network"},
    {"code.system_call", moderate, "inline code runs a shell command cmdai cannot read"},
    {"code.pipe_to_shell", high, "writes text into a shell, which runs it as commands"},
    {"code.obfuscated", critical, "inline code decodes and runs hidden code"},
    {"code.reverse_shell", critical, "inline code connects a shell to the network"},
    {"code.fork_bomb", critical, "inline code forks without end"},
    {"code.remote_exec", critical, "inline code downloads code and runs it"},
};

// Rules that mean cmdai could not see what runs: a command word built at run
// time, code hidden or computed, code it does not parse. A command with any
// is unverified (ValidationResult::unverified): never run unasked.
constexpr std::string_view k_unverified_rules[] = {
    "parse.error",        "parse.too_deep",       "shell.dynamic_command",     "shell.computed_command",
    "shell.eval_dynamic", "shell.hidden_command", "shell.unknown_destructive", "code.system_call",
    "program.unknown",    "code.obfuscated",      "exec.decoded_code",
};

// Every context that rates a command lower than its words alone would.
constexpr LoweringInfo k_lowerings[] = {
    {"lowered.image_file", "disk.format",
     "the target is named like an image file, not a disk: only that file is rewritten"},
    {"lowered.regular_file", "disk.format", "the target is a regular file on disk, not a device"},
    {"lowered.guarded_variable", "rm.dynamic_target",
     "${VAR:?} stops the shell before the command runs when VAR is empty or unset, so the path cannot collapse to /"},
    {"lowered.liveness_probe", "proc.kill", "signal 0 only asks whether the process is alive; nothing is stopped"},
    {"lowered.help", "", "asks the program for its help or version, so it runs nothing"},
    {"lowered.working_directory", "rm.recursive_system",
     "the target is the working directory, which is not /, home or a system directory"},
    {"lowered.find_working_directory", "find.delete_system",
     "find starts in the working directory, which is not /, home or a system directory"},
    {"lowered.temporary_directory", "redirect.system", "the path is in a temporary directory, not a system one"},
    {"lowered.bounded_append", "redirect.critical",
     "appending to this file only adds name lookups; it cannot take away what is there"},
};

constexpr LoweringInfo k_unknown_lowering{"lowered.unknown", "", "context lowered the rating"};

constexpr RuleInfo k_unknown{"internal.unknown_rule", high, "an internal rule was missing; rated high to be safe"};

}  // namespace

const RuleInfo& rule_info(std::string_view id) {
  const auto* it = std::find_if(std::begin(k_rules), std::end(k_rules), [&](const RuleInfo& r) { return r.id == id; });
  return it == std::end(k_rules) ? k_unknown : *it;
}

std::span<const RuleInfo> all_rules() { return k_rules; }

const LoweringInfo& lowering_info(std::string_view id) {
  const auto* it =
      std::find_if(std::begin(k_lowerings), std::end(k_lowerings), [&](const LoweringInfo& l) { return l.id == id; });
  return it == std::end(k_lowerings) ? k_unknown_lowering : *it;
}

std::span<const LoweringInfo> all_lowerings() { return k_lowerings; }

bool leaves_unverified(std::string_view id) {
  return std::find(std::begin(k_unverified_rules), std::end(k_unverified_rules), id) != std::end(k_unverified_rules);
}

}  // namespace cmdai::safety
