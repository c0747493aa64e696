// Disks, processes, power, services, cron, firewalls, SELinux, accounts.

#include <algorithm>

#include "safety/call.h"

namespace cmdai::safety {
namespace {

bool any_device_operand(const Call& call, const Sink& sink) {
  for (const auto& a : call.args) {
    if (!a.text.starts_with("-") && resolve(a, sink.context()).scope == Scope::disk_device) return true;
  }
  return false;
}

void analyze_dd(const Call& call, Sink& sink, Facts&) {
  bool has_output = false;
  for (const auto& a : call.args) {
    if (!a.text.starts_with("of=")) continue;
    has_output = true;
    const auto p = resolve_path(a.value.substr(3), a.dynamic, sink.context());
    if (p.scope == Scope::disk_device) return sink.add("disk.raw_write", call, "writes to " + p.path);
    if (p.scope == Scope::critical_file) return sink.add("files.overwrite_critical", call, "writes to " + p.path);
    if (p.scope == Scope::null_device) return;
  }
  if (has_output) sink.add("disk.copy", call);
}

void analyze_mkfs(const Call& call, Sink& sink, Facts&) {
  if (call.args.empty() || (call.args.size() == 1 && call.args[0].text == "-V")) return;
  sink.add("disk.format", call);
}

void analyze_wipefs(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "otp", {"--offset", "--types"});
  if (view.has('n', "--no-act")) return;
  if (view.has('a', "--all") || view.value('o') || view.value("--offset")) sink.add("disk.wipe_signatures", call);
}

void analyze_partitioner(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args);
  if (view.has('l', "--list") || view.has("--print") || view.has('d', "--dump") || view.has("--verify")) return;
  if (call.program == "parted") {
    bool writes = false;
    for (const Arg* a : view.operands()) {
      for (std::string_view verb : {"mklabel", "mktable", "mkpart", "rm", "resizepart", "mkfs", "rescue"}) {
        writes = writes || a->text == verb;
      }
    }
    if (!writes && view.operands().size() >= 2) return;  // print, unit, align-check ...
    if (!writes && view.operands().size() <= 1) return sink.add("disk.partition_interactive", call);
    return sink.add("disk.partition", call);
  }
  if (call.program == "sgdisk" && (view.has('Z') || view.has('o') || view.has("--zap-all") || view.has("--clear") ||
                                   view.has('d') || view.has('n'))) {
    return sink.add("disk.partition", call);
  }
  if (call.program == "sfdisk" && any_device_operand(call, sink)) return sink.add("disk.partition", call);
  if (any_device_operand(call, sink)) sink.add("disk.partition_interactive", call);
}

void analyze_blkdiscard(const Call& call, Sink& sink, Facts&) { sink.add("disk.discard", call); }
void analyze_mount(const Call& call, Sink& sink, Facts&) {
  if (!call.args.empty()) sink.add("disk.mount", call);
}

void analyze_kill(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "sn", {"--signal"});
  if (view.has('l', "--list") || view.has('L', "--table")) return;
  for (const Arg* a : view.operands()) {
    if (a->text == "-1" || a->text == "1") return sink.add("proc.kill_all", call, "target pid " + a->text);
  }
  for (const auto& a : call.args) {
    if (a.text == "-1" && &a != &call.args.front()) return sink.add("proc.kill_all", call, "target pid -1");
  }
  if (call.args.size() >= 2 && call.args.back().text == "-1") return sink.add("proc.kill_all", call, "target pid -1");
  sink.add("proc.kill", call);
}

void analyze_pkill(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "ugtPsU", {"--signal", "--uid", "--group"});
  if (call.program == "killall5") return sink.add("proc.kill_all", call);
  for (const Arg* a : view.operands()) {
    if (a->text == "init" || a->text == "systemd" || a->text == "sshd") {
      return sink.add(a->text == "sshd" ? "system.remote_access_stop" : "proc.kill_all", call);
    }
  }
  sink.add("proc.kill_by_name", call);
}

void analyze_power(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args);
  if (view.has('c') || view.has("--show") || view.has('k')) return;  // cancel, show, wall only
  if (call.program == "init" || call.program == "telinit") {
    if (view.operands().empty()) return;
    const std::string& level = view.operands().front()->text;
    if (level != "0" && level != "6" && level != "1" && level != "s" && level != "S") return;
  }
  sink.add("system.power", call);
}

bool is_remote_access_unit(std::string_view unit) {
  for (std::string_view u : {"ssh", "sshd", "networking", "NetworkManager", "systemd-networkd", "network",
                             "wpa_supplicant", "ssh.socket", "sshd.service", "ssh.service"}) {
    if (unit == u || unit == std::string(u) + ".service") return true;
  }
  return false;
}

void analyze_systemctl(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "HMtp", {"--host", "--machine", "--type", "--property"});
  const auto& ops = view.operands();
  if (ops.empty()) return;
  const bool service_cmd = call.program == "service";
  const std::string verb = service_cmd ? (ops.size() > 1 ? ops[1]->text : "") : ops.front()->text;
  const std::string unit = service_cmd ? ops.front()->text : (ops.size() > 1 ? ops[1]->text : "");
  for (std::string_view v : {"poweroff", "reboot", "halt", "kexec", "suspend", "hibernate", "rescue", "emergency"}) {
    if (verb == v) return sink.add("system.power", call);
  }
  if (verb == "isolate") return sink.add("system.power", call);
  const bool stops = verb == "stop" || verb == "disable" || verb == "mask" || verb == "kill";
  if (stops && is_remote_access_unit(unit)) return sink.add("system.remote_access_stop", call, "unit " + unit);
  if (stops) return sink.add("system.service_stop", call);
  for (std::string_view v :
       {"start", "restart", "reload", "enable", "try-restart", "reload-or-restart", "daemon-reload", "set-default",
        "unmask", "edit", "link", "preset", "revert", "set-property"}) {
    if (verb == v) return sink.add("system.service_change", call);
  }
}

void analyze_crontab(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "u", {});
  if (view.has('l')) return;
  if (view.has('r')) return sink.add("cron.remove", call);
  if (view.has('e')) return sink.add("cron.edit", call);
  if (!view.operands().empty() && view.operands().front()->text != "-") return sink.add("cron.replace", call);
  facts.persists_stdin = true;
  sink.add("cron.replace", call);
}

void analyze_iptables(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "AIDRNXPtjsdiopmLSZF", {"--table", "--append", "--insert", "--delete", "--policy"});
  if (view.has('L') || view.has('S') || view.has("--list") || view.has("--list-rules") || view.has("--check")) return;
  if (view.has('F') || view.has("--flush") || view.has('X') || view.has("--delete-chain")) {
    return sink.add("firewall.flush", call);
  }
  if (auto policy = view.value('P').value_or(view.value("--policy").value_or("")); !policy.empty()) {
    for (const Arg* a : view.operands()) {
      if (a->text == "DROP" || a->text == "REJECT") return sink.add("firewall.lockdown", call, "default policy DROP");
    }
  }
  sink.add("firewall.change", call);
}

void analyze_nft(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "f", {"--file"});
  const auto& ops = view.operands();
  if (!ops.empty() && (ops[0]->text == "list" || ops[0]->text == "monitor" || ops[0]->text == "describe")) return;
  if (ops.size() >= 2 && ops[0]->text == "flush") return sink.add("firewall.flush", call);
  if (!ops.empty()) sink.add("firewall.change", call);
}

void analyze_ufw(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args);
  if (view.has("--dry-run") || view.operands().empty()) return;
  const std::string& verb = view.operands().front()->text;
  if (verb == "status" || verb == "show" || verb == "app" || verb == "version") return;
  if (verb == "disable" || verb == "reset") return sink.add("firewall.flush", call);
  if (verb == "default" && view.operands().size() > 1 && view.operands()[1]->text == "deny") {
    return sink.add("firewall.change", call, "default deny");
  }
  sink.add("firewall.change", call);
}

void analyze_firewall_cmd(const Call& call, Sink& sink, Facts&) {
  bool changes = false;
  for (const auto& a : call.args) {
    if (a.text == "--panic-on") return sink.add("firewall.lockdown", call);
    if (a.text.starts_with("--add") || a.text.starts_with("--remove") || a.text.starts_with("--set") ||
        a.text == "--reload" || a.text == "--complete-reload" || a.text.starts_with("--change") ||
        a.text.starts_with("--new") || a.text.starts_with("--delete")) {
      changes = true;
    }
  }
  if (changes) sink.add("firewall.change", call);
}

void analyze_setenforce(const Call& call, Sink& sink, Facts&) {
  if (call.args.empty()) return;
  const std::string& mode = call.args.front().text;
  if (mode == "0" || mode == "Permissive" || mode == "permissive") return sink.add("security.selinux_off", call);
  sink.add("users.change", call);
}

void analyze_users(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "GgudsceKpU", {"--groups", "--gid", "--uid", "--home", "--shell", "--comment"});
  const std::string& p = call.program;
  if (p == "userdel" || p == "deluser" || p == "groupdel") return sink.add("users.delete", call);
  if (view.value('u').value_or(view.value("--uid").value_or("")) == "0" || view.has('o')) {
    return sink.add("users.root_uid", call);
  }
  const auto groups = view.value('G').value_or(view.value("--groups").value_or(""));
  for (std::string_view admin : {"sudo", "wheel", "root", "admin", "docker"}) {
    if (groups.find(admin) != std::string::npos)
      return sink.add("users.privilege", call, "group " + std::string(admin));
  }
  if (p == "passwd" && (view.has('d') || view.has("--delete"))) return sink.add("users.no_password", call);
  if (p == "passwd" && (view.has('S') || view.has("--status"))) return;
  if (p == "visudo" && (view.has('c') || view.has("--check"))) return;
  if (p == "visudo") return sink.add("users.change", call, "edits sudoers");
  sink.add("users.change", call);
}

void analyze_sysctl(const Call& call, Sink& sink, Facts&) {
  for (const auto& a : call.args) {
    if (a.text == "-w" || a.text == "-p" || a.text == "--system" || a.text.find('=') != std::string::npos) {
      return sink.add("system.sysctl", call);
    }
  }
}

constexpr AnalyzerEntry k_entries[] = {
    {"dd", analyze_dd},
    {"mkfs", analyze_mkfs},
    {"wipefs", analyze_wipefs},
    {"fdisk", analyze_partitioner},
    {"cfdisk", analyze_partitioner},
    {"sfdisk", analyze_partitioner},
    {"parted", analyze_partitioner},
    {"gdisk", analyze_partitioner},
    {"sgdisk", analyze_partitioner},
    {"blkdiscard", analyze_blkdiscard},
    {"mount", analyze_mount},
    {"umount", analyze_mount},
    {"swapoff", analyze_mount},
    {"kill", analyze_kill},
    {"pkill", analyze_pkill},
    {"killall", analyze_pkill},
    {"killall5", analyze_pkill},
    {"shutdown", analyze_power},
    {"reboot", analyze_power},
    {"halt", analyze_power},
    {"poweroff", analyze_power},
    {"init", analyze_power},
    {"telinit", analyze_power},
    {"systemctl", analyze_systemctl},
    {"service", analyze_systemctl},
    {"crontab", analyze_crontab},
    {"iptables", analyze_iptables},
    {"ip6tables", analyze_iptables},
    {"nft", analyze_nft},
    {"ufw", analyze_ufw},
    {"firewall-cmd", analyze_firewall_cmd},
    {"setenforce", analyze_setenforce},
    {"useradd", analyze_users},
    {"adduser", analyze_users},
    {"usermod", analyze_users},
    {"userdel", analyze_users},
    {"deluser", analyze_users},
    {"groupadd", analyze_users},
    {"groupdel", analyze_users},
    {"gpasswd", analyze_users},
    {"passwd", analyze_users},
    {"chpasswd", analyze_users},
    {"visudo", analyze_users},
    {"sysctl", analyze_sysctl},
};

}  // namespace

std::span<const AnalyzerEntry> system_analyzers() { return k_entries; }

}  // namespace cmdai::safety
