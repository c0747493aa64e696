// Disks, processes, power, services, cron, firewalls, SELinux, accounts.

#include <algorithm>
#include <cctype>

#include "core/utf8.h"
#include "safety/call.h"

namespace cmdai::safety {
namespace {

std::string describe(const ResolvedPath& p) {
  return p.scope == Scope::unknown ? "target unknown" : "target " + p.path;
}

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
    if (const auto rule = rule_for_destroying(p, sink.context()); !rule.empty()) {
      return sink.add(rule, call, "writes to " + p.path);
    }
    if (p.scope == Scope::null_device) return;
  }
  if (has_output) sink.add("disk.copy", call);
}

// Formatting a disk destroys it; formatting an image file (a regular file,
// not a device, also on disk where the context can look) only rewrites that
// file. A target cmdai cannot see, or that is a device or special file on
// disk whatever its name, is a disk.
void analyze_mkfs(const Call& call, Sink& sink, Facts&) {
  if (call.args.empty() || (call.args.size() == 1 && call.args[0].text == "-V")) return;
  const auto& context = sink.context();
  std::string_view lowering;
  std::string detail;
  for (const auto& a : call.args) {
    if (a.text.starts_with("-")) continue;
    const auto p = resolve(a, context);
    if (p.scope == Scope::disk_device || p.scope == Scope::unknown) return sink.add("disk.format", call, describe(p));
    const FileKind kind = context.file_kind ? context.file_kind(p.path) : FileKind::unknown;
    if (kind == FileKind::other) return sink.add("disk.format", call, p.path + " is a device or special file");
    if (kind == FileKind::regular) {
      lowering = "lowered.regular_file";
      detail = p.path + " is a regular file";
    } else if (lowering.empty() && (a.text.find('.') != std::string::npos || a.text.find('/') != std::string::npos)) {
      lowering = "lowered.image_file";
      detail = "target " + a.text;
    }
  }
  if (lowering.empty()) return sink.add("disk.format", call);
  sink.add("disk.format_image", call);
  sink.lower(lowering, call, std::move(detail));
}

void analyze_wipefs(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "otp", {"--offset", "--types"});
  if (view.has('n', "--no-act")) return;
  if (view.has('a', "--all") || view.value('o') || view.value("--offset")) sink.add("disk.wipe_signatures", call);
}

void analyze_partitioner(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args);
  if (view.has('l', "--list") || view.has("--print") || view.has('d', "--dump") || view.has("--verify")) return;
  if (any_device_operand(call, sink)) facts.stdin_script = ScriptLanguage::partition_table;
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
  if (call.program == "sgdisk") {  // never interactive: it changes only what its options say
    if (view.has('Z') || view.has('o') || view.has("--zap-all") || view.has("--clear") || view.has('d') ||
        view.has('n') || view.has("--zap") || view.has('z') || view.has("--delete") || view.has("--new")) {
      sink.add("disk.partition", call);
    }
    return;
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
  if (view.has('0') || view.value('s') == "0") return sink.lower("lowered.liveness_probe", call);
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

bool is_security_unit(std::string_view unit) {
  if (unit.ends_with(".service")) unit.remove_suffix(8);
  for (std::string_view u : {"firewalld", "ufw", "nftables", "iptables", "ip6tables", "netfilter-persistent",
                             "apparmor", "auditd", "fail2ban", "selinux"}) {
    if (unit == u) return true;
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
  if (stops && is_security_unit(unit)) return sink.add("security.service_off", call, "unit " + unit);
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
    const std::string table = view.value('t').value_or(view.value("--table").value_or("filter"));
    return sink.add(table == "filter" ? "firewall.flush" : "firewall.flush_table", call, "table " + table);
  }
  if (auto policy = view.value('P').value_or(view.value("--policy").value_or("")); !policy.empty()) {
    for (const Arg* a : view.operands()) {
      if (a->text == "DROP" || a->text == "REJECT") return sink.add("firewall.lockdown", call, "default policy DROP");
      if (a->text == "ACCEPT") return sink.add("firewall.flush", call, "default policy ACCEPT lets everything in");
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
    if (a.text == "--set-default-zone=trusted" || a.text == "--set-target=ACCEPT") {
      return sink.add("firewall.flush", call, "the trusted zone accepts everything");
    }
    if (a.text.starts_with("--add") || a.text.starts_with("--remove") || a.text.starts_with("--set") ||
        a.text == "--reload" || a.text == "--complete-reload" || a.text.starts_with("--change") ||
        a.text.starts_with("--new") || a.text.starts_with("--delete")) {
      changes = true;
    }
  }
  if (changes) sink.add("firewall.change", call);
}

void analyze_apparmor(const Call& call, Sink& sink, Facts&) {
  const std::string& p = call.program;
  if (p == "aa-teardown" || p == "aa-disable" || p == "aa-complain" || p == "aa-audit") {
    return sink.add("security.apparmor_off", call);
  }
  if (p == "aa-enforce" || p == "apparmor_parser") sink.add("security.change", call);
}

// setcap: capabilities that amount to root on an interpreter make it a root
// shell for anyone; on other programs they are still a way to root.
void analyze_setcap(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "n", {});
  const auto& ops = view.operands();
  if (view.has('r') || ops.size() < 2) return sink.add("perm.change", call);
  const std::string caps = ascii_lower(ops.front()->text);
  bool powerful = caps.starts_with("=") || caps.starts_with("all");
  for (std::string_view c : {"cap_setuid", "cap_setgid", "cap_sys_admin", "cap_dac_override", "cap_dac_read_search",
                             "cap_sys_ptrace", "cap_chown", "cap_fowner", "cap_sys_module"}) {
    powerful = powerful || caps.find(c) != std::string::npos;
  }
  if (!powerful) return sink.add("perm.change", call);
  for (std::size_t i = 1; i < ops.size(); ++i) {
    if (is_interpreter_path(ops[i]->value)) return sink.add("perm.capability_shell", call, "on " + ops[i]->text);
  }
  sink.add("perm.capability", call);
}

// ip, ifdown, ifconfig, nmcli: an interface, its addresses or the default
// route taken away cuts the machine off (over SSH, for good).
void analyze_network(const Call& call, Sink& sink, Facts&) {
  std::vector<std::string> w;
  for (const auto& a : call.args) {
    if (!a.text.starts_with("-")) w.push_back(a.text);
  }
  const auto has = [&](std::string_view word) { return std::find(w.begin(), w.end(), word) != w.end(); };
  const std::string& p = call.program;
  if (p == "ifdown" || (p == "ifconfig" && has("down"))) return sink.add("network.down", call);
  if (p == "ifup" || (p == "ifconfig" && w.size() > 1)) return sink.add("network.change", call);
  if (p == "nmcli") {
    if ((has("networking") && has("off")) || (has("radio") && has("off")) || (has("device") && has("disconnect")) ||
        (has("connection") && (has("down") || has("delete")))) {
      return sink.add("network.down", call);
    }
    if (has("up") || has("modify") || has("add") || has("connect") || has("on")) sink.add("network.change", call);
    return;
  }
  if (p != "ip" || w.size() < 2) return;
  const std::string& object = w[0];
  const std::string& verb = w[1];
  const bool link = object.starts_with("l");
  const bool addr = object.starts_with("a");
  const bool route = object.starts_with("r");
  if ((link && verb == "set" && has("down")) || (addr && verb.starts_with("f")) ||
      (route && (verb.starts_with("f") || (verb.starts_with("d") && has("default"))))) {
    return sink.add("network.down", call);
  }
  const bool reads = verb.starts_with("s") && verb != "set";  // show
  if (!reads && verb != "list" && verb != "get" && verb != "monitor") sink.add("network.change", call);
}

// journalctl --vacuum-*: down to (almost) nothing is losing the logs.
std::optional<double> journal_amount(std::string_view text, bool time) {
  std::size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  const double n = std::stod(std::string(text.substr(0, digits)));
  const std::string unit(text.substr(digits));
  if (time) {
    if (unit.empty() || unit.starts_with("s")) return n;
    if (unit.starts_with("min") || unit == "m") return n * 60;
    if (unit.starts_with("h")) return n * 3600;
    return n * 86400 * (unit.starts_with("w") ? 7 : unit.starts_with("mo") ? 30 : unit.starts_with("y") ? 365 : 1);
  }
  const char u = unit.empty() ? 'B' : static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
  return n * (u == 'K' ? 1e3 : u == 'M' ? 1e6 : u == 'G' ? 1e9 : u == 'T' ? 1e12 : 1);
}

void analyze_journalctl(const Call& call, Sink& sink, Facts&) {
  for (const auto& a : call.args) {
    const std::string value = a.text.substr(a.text.find('=') + 1);
    std::optional<double> amount;
    double floor = 0;
    if (a.text.starts_with("--vacuum-size=")) amount = journal_amount(value, false), floor = 16e6;
    if (a.text.starts_with("--vacuum-time=")) amount = journal_amount(value, true), floor = 86400;
    if (a.text.starts_with("--vacuum-files=")) amount = journal_amount(value, false), floor = 2;
    if (!a.text.starts_with("--vacuum-") && a.text != "--rotate" && a.text != "--flush") continue;
    if (amount && *amount < floor) return sink.add("logs.vacuum_all", call, a.text);
    return sink.add("logs.vacuum", call);
  }
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
    {"aa-teardown", analyze_apparmor},
    {"aa-disable", analyze_apparmor},
    {"aa-complain", analyze_apparmor},
    {"aa-audit", analyze_apparmor},
    {"aa-enforce", analyze_apparmor},
    {"setcap", analyze_setcap},
    {"ip", analyze_network},
    {"ifdown", analyze_network},
    {"ifup", analyze_network},
    {"ifconfig", analyze_network},
    {"nmcli", analyze_network},
    {"journalctl", analyze_journalctl},
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
