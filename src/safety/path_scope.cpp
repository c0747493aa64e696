#include "safety/path_scope.h"

#include <array>
#include <vector>

namespace cmdai::safety {
namespace {

constexpr std::array<std::string_view, 24> k_system_dirs{
    "/bin",  "/boot", "/dev",  "/etc",  "/lib",   "/lib32",  "/lib64",   "/libx32",
    "/opt",  "/proc", "/root", "/sbin", "/srv",   "/sys",    "/usr",     "/var",
    "/home", "/run",  "/snap", "/mnt",  "/Users", "/System", "/Library", "/Applications"};

constexpr std::array<std::string_view, 15> k_critical_files{
    "/etc/passwd",   "/etc/shadow",     "/etc/group",         "/etc/gshadow",         "/etc/sudoers",
    "/etc/fstab",    "/etc/hosts",      "/etc/pam.d",         "/etc/ssh/sshd_config", "/etc/resolv.conf",
    "/etc/crypttab", "/etc/login.defs", "/etc/nsswitch.conf", "/etc/ld.so.preload",   "/etc/selinux/config"};

constexpr std::array<std::string_view, 8> k_sensitive_home{".ssh",   ".gnupg",          ".aws",   ".kube", ".config",
                                                           ".local", ".password-store", ".docker"};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string normalise(std::string_view absolute) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < absolute.size()) {
    while (i < absolute.size() && absolute[i] == '/') ++i;
    const std::size_t start = i;
    while (i < absolute.size() && absolute[i] != '/') ++i;
    const std::string_view part = absolute.substr(start, i - start);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (auto part : parts) {
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

bool is_disk_device(std::string_view path) {
  if (!starts_with(path, "/dev/")) return false;
  const std::string_view name = path.substr(5);
  for (std::string_view prefix : {"sd", "hd", "vd", "xvd", "nvme", "mmcblk", "disk", "md", "dm-", "mapper/", "rdisk",
                                  "mtdblock", "loop", "nbd", "sr", "zram"}) {
    if (starts_with(name, prefix)) return true;
  }
  return starts_with(name, "disk/");
}

bool is_null_device(std::string_view path) {
  return path == "/dev/null" || path == "/dev/zero" || path == "/dev/stdout" || path == "/dev/stderr" ||
         path == "/dev/stdin" || path == "/dev/tty" || starts_with(path, "/dev/fd/") || starts_with(path, "/dev/pts/");
}

// Shared libraries and kernel modules: without them nothing starts.
bool is_system_code(std::string_view path) {
  for (std::string_view dir : {"/lib/modules", "/usr/lib/modules"}) {
    if (path == dir || starts_with(path, std::string(dir) + "/")) return true;
  }
  const std::string_view name = path.substr(path.rfind('/') + 1);
  const bool library =
      name.starts_with("lib") && (name.ends_with(".so") || name.find(".so.") != std::string_view::npos);
  if (!library) return false;
  for (std::string_view dir : {"/lib/", "/lib64/", "/lib32/", "/usr/lib/", "/usr/lib64/", "/usr/lib32/"}) {
    if (starts_with(path, dir)) return true;
  }
  return false;
}

Scope classify(const std::string& path, const ValidationContext& context) {
  if (path == "/") return Scope::root;
  if (is_null_device(path)) return Scope::null_device;
  if (is_disk_device(path)) return Scope::disk_device;
  const std::string home = normalise(context.home_directory);
  if (path == home) return Scope::home;
  if (starts_with(path, home + "/")) {
    const std::string_view rest = std::string_view(path).substr(home.size() + 1);
    const std::string_view first = rest.substr(0, rest.find('/'));
    for (auto s : k_sensitive_home) {
      if (first == s && first == rest) return Scope::sensitive;
    }
    if (first == ".ssh" || first == ".gnupg") return Scope::sensitive;
    return Scope::ordinary;
  }
  for (auto f : k_critical_files) {
    if (path == f || starts_with(path, std::string(f) + "/")) return Scope::critical_file;
  }
  if (starts_with(path, "/boot/")) return Scope::critical_file;
  if (is_system_code(path)) return Scope::critical_file;
  for (auto dir : k_system_dirs) {
    if (path == dir) return Scope::system;
    if (starts_with(path, std::string(dir) + "/")) {
      // /usr/bin, /var/lib, /etc/ssh: direct children of system dirs are system dirs too,
      // but not user data under /home/<user>, /mnt/<disk> or /opt/<app>.
      const std::string_view rest = std::string_view(path).substr(dir.size() + 1);
      const bool direct_child = rest.find('/') == std::string_view::npos;
      const bool data_dir = dir == "/home" || dir == "/mnt" || dir == "/opt" || dir == "/srv" || dir == "/Users";
      if (direct_child && !data_dir && dir != "/dev" && dir != "/run") return Scope::system;
      if (dir == "/home" || dir == "/Users" || dir == "/mnt" || dir == "/srv") return Scope::ordinary;
      if (starts_with(path, "/var/tmp/")) return Scope::ordinary;
      return Scope::system_inner;
    }
  }
  return Scope::ordinary;
}

}  // namespace

ResolvedPath resolve_path(std::string_view value, bool dynamic, const ValidationContext& context, bool glob) {
  ResolvedPath out;
  std::string text(value);
  if (dynamic && (text.empty() || text.find("$(") != std::string::npos || text.find('`') != std::string::npos)) {
    // "/boot/vmlinuz-$(uname -r)": whatever it prints, the path stays where
    // the system keeps what it needs.
    const std::string fixed = text.substr(0, std::min(text.find("$("), text.find('`')));
    out.scope = Scope::unknown;
    if (starts_with(fixed, "/") && fixed.find('/', 1) != std::string::npos &&
        classify(normalise(fixed), context) == Scope::critical_file) {
      out.path = normalise(fixed);
      out.scope = Scope::critical_file;
    }
    return out;
  }
  if (text == "~" || starts_with(text, "~/")) text = context.home_directory + text.substr(1);
  if (!glob) {
  } else if (text == "*" || text == ".*") {
    out.whole_contents = true;
    text = ".";
  } else if (text.size() >= 2 && (text.ends_with("/*") || text.ends_with("/.*"))) {
    out.whole_contents = true;
    text = text.substr(0, text.rfind('/') + 1);
  }
  if (text.empty() || text[0] != '/') text = context.working_directory + "/" + text;
  out.path = normalise(text);
  out.scope = classify(out.path, context);
  if (out.scope == Scope::ordinary && context.file_kind && context.file_kind(out.path) == FileKind::block_device) {
    out.scope = Scope::disk_device;
  }
  if (out.whole_contents && out.scope == Scope::system_inner) out.scope = Scope::system_inner;
  return out;
}

bool is_catastrophic(Scope scope) {
  return scope == Scope::root || scope == Scope::system || scope == Scope::home || scope == Scope::sensitive ||
         scope == Scope::disk_device || scope == Scope::critical_file;
}

bool is_secret_path(const ResolvedPath& path, const ValidationContext& context) {
  const std::string& p = path.path;
  const std::string home = normalise(context.home_directory);
  for (std::string_view s : {"/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh/ssh_host_"}) {
    if (starts_with(p, s)) return true;
  }
  for (std::string_view s :
       {"/.ssh/", "/.gnupg/", "/.aws/credentials", "/.aws/config", "/.kube/config", "/.netrc", "/.git-credentials",
        "/.pgpass", "/.docker/config.json", "/.config/gcloud/", "/.password-store/", "/.azure/"}) {
    if (starts_with(p, home + std::string(s)) || p == home + std::string(s.substr(0, s.size() - 1))) return true;
  }
  const std::string_view name = std::string_view(p).substr(p.rfind('/') + 1);
  return name == ".env" || name.starts_with("id_rsa") || name.starts_with("id_ed25519") ||
         name.starts_with("id_ecdsa") || name.ends_with(".pem") || name.ends_with(".key") ||
         (starts_with(p, "/proc/") && name == "environ");
}

PathRole role_of(const ResolvedPath& path, const ValidationContext& context) {
  const std::string& p = path.path;
  const std::string home = normalise(context.home_directory);
  const std::string_view name = std::string_view(p).substr(p.rfind('/') + 1);
  for (std::string_view h :
       {".bash_history", ".zsh_history", ".history", ".sh_history", ".ksh_history", "fish_history", ".zhistory"}) {
    if (name == h) return PathRole::history;
  }
  for (std::string_view log : {"/var/log/auth.log", "/var/log/secure", "/var/log/wtmp", "/var/log/btmp",
                               "/var/log/lastlog", "/var/log/faillog", "/var/run/utmp", "/run/utmp"}) {
    if (p == log || starts_with(p, std::string(log) + ".")) return PathRole::history;
  }
  if (starts_with(p, "/var/log/audit") || starts_with(p, "/var/log/journal")) return PathRole::history;
  if (p == home + "/.ssh" || p == home + "/.gnupg" || starts_with(p, home + "/.gnupg/private-keys") ||
      starts_with(p, home + "/.password-store")) {
    return PathRole::credential;
  }
  for (std::string_view c : {"/.aws/credentials", "/.netrc", "/.git-credentials", "/.pgpass", "/.docker/config.json",
                             "/.kube/config", "/.gnupg/secring.gpg"}) {
    if (p == home + std::string(c)) return PathRole::credential;
  }
  const bool private_key = (name.starts_with("id_") && starts_with(p, home + "/.ssh/")) ||
                           (starts_with(p, "/etc/ssh/ssh_host_") && name.ends_with("_key")) || name.ends_with(".pem") ||
                           name.ends_with(".key");
  return private_key && !name.ends_with(".pub") ? PathRole::credential : PathRole::none;
}

PersistenceKind persistence_kind(const ResolvedPath& path, const ValidationContext& context) {
  const std::string& p = path.path;
  const std::string home = normalise(context.home_directory);
  const std::string_view name = std::string_view(p).substr(p.rfind('/') + 1);
  if (starts_with(p, "/etc/sudoers")) return PersistenceKind::sudoers;
  if (p == "/etc/ld.so.preload") return PersistenceKind::preload;
  if (name == "authorized_keys" || name == "authorized_keys2") return PersistenceKind::authorized_keys;
  for (std::string_view rc : {".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zprofile", ".zshenv",
                              ".zlogin", ".kshrc", ".cshrc", ".tcshrc", ".xinitrc", ".xprofile"}) {
    if (name == rc) return PersistenceKind::shell_rc;
  }
  if (p.ends_with("/fish/config.fish") || p == "/etc/profile" || starts_with(p, "/etc/profile.d/") ||
      p == "/etc/bash.bashrc" || p == "/etc/zsh/zshrc" || p == "/etc/environment") {
    return PersistenceKind::shell_rc;
  }
  for (std::string_view s :
       {"/etc/cron", "/var/spool/cron", "/etc/systemd/", "/lib/systemd/system", "/etc/init.d/", "/etc/rc.local",
        "/etc/xdg/autostart", "/Library/LaunchDaemons", "/Library/LaunchAgents"}) {
    if (starts_with(p, s)) return PersistenceKind::scheduler;
  }
  if (starts_with(p, home + "/.config/systemd/") || starts_with(p, home + "/.config/autostart/") ||
      starts_with(p, home + "/Library/LaunchAgents/")) {
    return PersistenceKind::scheduler;
  }
  return PersistenceKind::none;
}

}  // namespace cmdai::safety
