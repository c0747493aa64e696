#include "safety/wrappers.h"

#include <algorithm>
#include <cctype>

namespace cmdai::safety {
namespace {

struct Spec {
  std::string_view program;
  std::string_view short_values;  // option letters taking a value
  std::initializer_list<std::string_view> long_values;
  std::string_view stop_flags;  // letters meaning "runs nothing" (sudo -l)
  int positionals = 0;          // operands before the wrapped command (timeout DURATION)
  bool elevates = false;
};

const Spec k_specs[] = {
    {"sudo",
     "ugCDhprtUTR",
     {"--user", "--group", "--chdir", "--host", "--prompt", "--role", "--type", "--other-user", "--close-from",
      "--command-timeout"},
     "lvkKVe",
     0,
     true},
    {"doas", "uC", {}, "", 0, true},
    {"pkexec", "", {"--user"}, "", 0, true},
    {"runuser", "ugGs", {"--user", "--group", "--supp-group", "--shell"}, "", 0, true},
    {"nohup", "", {}, "", 0, false},
    {"builtin", "", {}, "", 0, false},
    {"exec", "a", {}, "", 0, false},
    {"time", "fo", {"--format", "--output"}, "", 0, false},
    {"nice", "n", {"--adjustment"}, "", 0, false},
    {"ionice", "cnt", {"--class", "--classdata"}, "p", 0, false},
    {"timeout", "sk", {"--signal", "--kill-after"}, "", 1, false},
    {"stdbuf", "ioe", {"--input", "--output", "--error"}, "", 0, false},
    {"setsid", "", {}, "", 0, false},
    {"chroot", "", {"--userspec", "--groups"}, "", 1, false},
    {"unbuffer", "", {}, "", 0, false},
    {"busybox", "", {}, "", 0, false},
    {"taskset", "", {}, "p", 1, false},
    {"chrt", "T", {}, "p", 1, false},
    {"proxychains", "f", {}, "", 0, false},
    {"proxychains4", "f", {}, "", 0, false},
    {"torsocks", "", {}, "", 0, false},
    {"firejail", "", {}, "", 0, false},
    {"strace", "oesEpuPIS", {"--output"}, "", 0, false},
    {"ltrace", "oesEpuS", {"--output"}, "", 0, false},
    {"caffeinate", "tw", {}, "", 0, false},
    {"xargs",
     "IdnLPaEs",
     {"--delimiter", "--max-args", "--max-lines", "--max-procs", "--arg-file", "--eof", "--replace", "--max-chars"},
     "",
     0,
     false},
};

// Index of the first argument after the wrapper's own options; npos when a
// stop flag was seen.
std::size_t skip_options(const Call& call, const Spec& spec) {
  std::size_t i = 0;
  while (i < call.args.size()) {
    const std::string& a = call.args[i].text;
    if (a == "--") return i + 1;
    if (a.size() < 2 || a[0] != '-') break;
    if (spec.program == "nice" && std::isdigit(static_cast<unsigned char>(a[1]))) {
      ++i;
      continue;
    }
    if (a[1] == '-') {
      const std::string name = a.substr(0, a.find('='));
      const bool takes = std::find(spec.long_values.begin(), spec.long_values.end(), name) != spec.long_values.end();
      i += (takes && a.find('=') == std::string::npos) ? 2 : 1;
      continue;
    }
    bool takes_next = false;
    for (std::size_t j = 1; j < a.size(); ++j) {
      if (spec.stop_flags.find(a[j]) != std::string_view::npos) return std::string::npos;
      if (spec.short_values.find(a[j]) != std::string_view::npos) {
        takes_next = j + 1 == a.size();
        break;
      }
    }
    i += takes_next ? 2 : 1;
  }
  return std::min(i + static_cast<std::size_t>(spec.positionals), call.args.size());
}

UnwrapResult take_rest(Call& call, std::size_t from) {
  if (from >= call.args.size()) return {UnwrapKind::nothing, {}};
  set_program(call, call.args[from].value.empty() ? call.args[from].text : call.args[from].value);
  call.args.erase(call.args.begin(), call.args.begin() + static_cast<long>(from) + 1);
  return {UnwrapKind::call, {}};
}

std::string join_from(const Call& call, std::size_t from) {
  std::string code;
  for (std::size_t i = from; i < call.args.size(); ++i) code += (code.empty() ? "" : " ") + call.args[i].text;
  return code;
}

UnwrapResult unwrap_env(Call& call) {
  UnwrapResult result;
  std::size_t i = 0;
  for (; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if (a == "-u" || a == "--unset" || a == "-C" || a == "--chdir" || a == "-P") {
      ++i;
    } else if (a == "-S" || a == "--split-string") {
      return {UnwrapKind::code, join_from(call, i + 1), result.preload};
    } else if (a.starts_with("-S")) {
      return {UnwrapKind::code, a.substr(2) + " " + join_from(call, i + 1), result.preload};
    } else if (a.starts_with("-") && a != "-") {
    } else if (a.find('=') != std::string::npos && a.find('=') > 0) {
      if (a.starts_with("LD_PRELOAD=") || a.starts_with("LD_LIBRARY_PATH=")) result.preload = true;
    } else {
      break;
    }
  }
  if (i >= call.args.size()) {
    call.program = "printenv";
    call.args.clear();
    return {UnwrapKind::call, {}, result.preload};
  }
  auto r = take_rest(call, i);
  r.preload = result.preload;
  return r;
}

UnwrapResult unwrap_su(Call& call) {
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if ((a == "-c" || a == "--command") && i + 1 < call.args.size()) return {UnwrapKind::code, call.args[i + 1].text};
    if (a.starts_with("--command=")) return {UnwrapKind::code, a.substr(10)};
    if (a == "-s" || a == "--shell" || a == "-g" || a == "-G") ++i;
  }
  return {UnwrapKind::nothing, {}};
}

UnwrapResult unwrap_ssh(Call& call) {
  static constexpr std::string_view k_values = "bcDEeFIiJLlmOopQRSWwB";
  std::size_t i = 0;
  for (; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if (a.size() < 2 || a[0] != '-') break;
    if (k_values.find(a.back()) != std::string_view::npos && a.size() == 2) ++i;
  }
  if (i + 1 >= call.args.size()) return {UnwrapKind::nothing, {}};
  call.remote = true;
  return {UnwrapKind::code, join_from(call, i + 1)};
}

UnwrapResult unwrap_watch(Call& call) {
  std::size_t i = 0;
  for (; i < call.args.size(); ++i) {
    const std::string& a = call.args[i].text;
    if (a == "-n" || a == "--interval" || a == "-q" || a == "--equexit") {
      ++i;
    } else if (!a.starts_with("-")) {
      break;
    }
  }
  if (i >= call.args.size()) return {UnwrapKind::nothing, {}};
  return {UnwrapKind::code, join_from(call, i)};
}

UnwrapResult unwrap_flock(Call& call) {
  std::size_t i = 0;
  for (; i < call.args.size() && call.args[i].text.starts_with("-"); ++i) {
    const std::string& a = call.args[i].text;
    if (a == "-w" || a == "--timeout" || a == "-E" || a == "--conflict-exit-code") ++i;
  }
  ++i;  // the lock file
  if (i < call.args.size() && (call.args[i].text == "-c" || call.args[i].text == "--command") &&
      i + 1 < call.args.size()) {
    return {UnwrapKind::code, call.args[i + 1].text};
  }
  return take_rest(call, i);
}

}  // namespace

UnwrapResult unwrap(Call& call) {
  const std::string program = call.program;
  if (program == "env") return unwrap_env(call);
  if (program == "su") {
    call.elevated = true;
    return unwrap_su(call);
  }
  if (program == "ssh") return unwrap_ssh(call);
  if (program == "watch") return unwrap_watch(call);
  if (program == "flock") return unwrap_flock(call);
  if (program == "command") {
    const bool lookup =
        std::any_of(call.args.begin(), call.args.end(), [](const Arg& a) { return a.text == "-v" || a.text == "-V"; });
    if (lookup) return {UnwrapKind::nothing, {}};
  }
  const Spec* spec = nullptr;
  for (const auto& s : k_specs) {
    if (s.program == program) spec = &s;
  }
  if (spec == nullptr && program != "command") return {};
  static const Spec k_command{"command", "", {}, "", 0, false};
  if (spec == nullptr) spec = &k_command;
  const std::size_t from = skip_options(call, *spec);
  if (from == std::string::npos) return {UnwrapKind::nothing, {}};
  if (spec->elevates) call.elevated = true;
  if (program == "xargs") call.operands_from_stdin = true;
  return take_rest(call, from);
}

}  // namespace cmdai::safety
