// Programs that move data or code: downloaders, network tools, decoders,
// secret readers, echo/printf, shells, eval/source and interpreters. Most
// of their risk shows only across a pipeline or chain (validator walks it);
// here they report the facts that analysis needs.

#include <algorithm>

#include "safety/call.h"
#include "safety/shell_variables.h"

namespace cmdai::safety {
namespace {

std::string url_basename(std::string_view url) {
  const auto q = url.find_first_of("?#");
  url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url.substr(url.rfind('/') + 1));
}

bool substitution_reads_secret(const Call& call, Sink& sink) {
  return std::any_of(call.args.begin(), call.args.end(), [&](const Arg& a) {
    return a.word != nullptr && !a.word->substitutions.empty() && sink.substitution_facts(a).emits_secret;
  });
}

void check_upload_source(std::string_view data, const Call& call, Sink& sink, Facts& facts) {
  auto at = data.find('@');
  if (at == std::string_view::npos || (at != 0 && data.find('=') == std::string_view::npos)) {
    return sink.add("net.upload", call);
  }
  const std::string_view file = data.substr(at + 1);
  if (file == "-") {
    facts.network_sink = true;
    return sink.add("net.upload", call);
  }
  if (is_secret_path(resolve_path(file, false, sink.context()), sink.context())) {
    return sink.add("exfil.secret", call, "uploads " + std::string(file));
  }
  sink.add("net.upload_file", call, "uploads " + std::string(file));
}

void analyze_curl(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "odFTHXuAexKwrYyzbcm",
                     {"--output", "--data", "--data-binary", "--data-raw", "--data-urlencode", "--form",
                      "--upload-file", "--header", "--request", "--user", "--url", "--json", "--cookie"});
  if (substitution_reads_secret(call, sink)) return sink.add("exfil.secret", call, "an argument reads a secret");
  bool uploads = false;
  for (std::string_view flag : {"d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "F", "--form", "T",
                                "--upload-file", "--json"}) {
    auto v = flag.size() == 1 ? view.value(flag[0]) : view.value(flag);
    if (!v) continue;
    uploads = true;
    const bool file_form = flag == "T" || flag == "--upload-file";
    check_upload_source(file_form ? "@" + *v : std::string_view(*v), call, sink, facts);
  }
  const auto output = view.value('o').value_or(view.value("--output").value_or(""));
  if (!output.empty() && output != "-") {
    facts.downloaded_files.push_back(output);
    const auto p = resolve_path(output, false, sink.context());
    if (p.scope == Scope::system || p.scope == Scope::system_inner) sink.add("files.overwrite_system", call);
    if (p.scope == Scope::critical_file) sink.add("files.overwrite_critical", call);
    sink.add("net.download", call, "saves to " + output);
  } else if (view.has('O') || view.has("--remote-name")) {
    for (const Arg* a : view.operands()) facts.downloaded_files.push_back(url_basename(a->text));
    sink.add("net.download", call);
  } else if (!uploads) {
    facts.downloads_to_stdout = true;
  }
  const auto method = view.value('X').value_or(view.value("--request").value_or(""));
  if (!uploads && (method == "DELETE" || method == "PUT" || method == "POST" || method == "PATCH")) {
    sink.add("net.upload", call, "HTTP " + method);
  }
}

void analyze_wget(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "OoaPiU", {"--output-document", "--post-data", "--post-file", "--directory-prefix"});
  if (substitution_reads_secret(call, sink)) return sink.add("exfil.secret", call, "an argument reads a secret");
  if (auto post = view.value("--post-file")) check_upload_source("@" + *post, call, sink, facts);
  if (view.value("--post-data")) sink.add("net.upload", call);
  const auto output = view.value('O').value_or(view.value("--output-document").value_or(""));
  if (output == "-") {
    facts.downloads_to_stdout = true;
    return;
  }
  if (view.has("--spider") || view.operands().empty()) return;
  if (!output.empty()) {
    facts.downloaded_files.push_back(output);
  } else {
    for (const Arg* a : view.operands()) facts.downloaded_files.push_back(url_basename(a->text));
  }
  sink.add("net.download", call);
}

void analyze_netcat(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "ecpswiqxXIO", {"--exec", "--sh-exec", "--lua-exec"});
  facts.network_peer = true;
  facts.network_sink = true;
  if (view.value('e') || view.value('c') || view.value("--exec") || view.value("--sh-exec") || view.has("--exec")) {
    return sink.add("net.reverse_shell", call);
  }
  if (substitution_reads_secret(call, sink)) return sink.add("exfil.secret", call);
  if (view.has('l') || view.has("--listen")) sink.add("net.listener", call);
}

void analyze_socat(const Call& call, Sink& sink, Facts& facts) {
  facts.network_peer = true;
  facts.network_sink = true;
  bool exec = false, network = false, listen = false;
  for (const auto& a : call.args) {
    std::string lower;
    for (char c : a.text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    exec = exec || lower.starts_with("exec:") || lower.starts_with("system:");
    network = network || lower.starts_with("tcp") || lower.starts_with("udp") || lower.starts_with("ssl") ||
              lower.starts_with("openssl");
    listen = listen || lower.find("listen") != std::string::npos;
  }
  if (exec && network) return sink.add("net.reverse_shell", call);
  if (listen) sink.add("net.listener", call);
}

void analyze_peer(const Call& call, Sink&, Facts& facts) {
  if (call.program == "openssl" && (call.args.empty() || call.args[0].text != "s_client")) return;
  facts.network_peer = true;
  facts.network_sink = true;
}

void analyze_scp(const Call& call, Sink& sink, Facts&) {
  const ArgView view(call.args, "iPoFcSlJ", {});
  const auto& ops = view.operands();
  if (ops.size() < 2) return;
  const bool upload = ops.back()->text.find(':') != std::string::npos;
  for (std::size_t i = 0; i + 1 < ops.size(); ++i) {
    if (upload && is_secret_path(resolve(*ops[i], sink.context()), sink.context())) {
      return sink.add("exfil.secret", call, "copies " + ops[i]->text + " to another machine");
    }
  }
  sink.add(upload ? "net.upload" : "files.copy", call);
}

void analyze_openssl(const Call& call, Sink& sink, Facts& facts) {
  const bool decode = std::any_of(call.args.begin(), call.args.end(), [](const Arg& a) { return a.text == "-d"; });
  if (!call.args.empty() && call.args[0].text == "s_client") return analyze_peer(call, sink, facts);
  facts.decodes = decode;
}

void analyze_decoder(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args);
  for (const Arg* a : view.operands()) {
    if (is_secret_path(resolve(*a, sink.context()), sink.context())) facts.emits_secret = true;
  }
  const std::string& p = call.program;
  if (p == "base64" || p == "base32" || p == "basenc")
    facts.decodes = view.has('d') || view.has('D') || view.has("--decode");
  else if (p == "xxd")
    facts.decodes = view.has('r') || view.has("-revert");
  else
    facts.decodes = true;  // uudecode, rev, tr, zcat, gunzip ...
}

void analyze_reader(const Call& call, Sink& sink, Facts& facts) {
  for (const auto& a : call.args) {
    if (a.text.starts_with("-") && a.text.size() > 1) continue;
    if (a.text != "-") facts.reads_data = true;
    if (is_secret_path(resolve(a, sink.context()), sink.context())) facts.emits_secret = true;
  }
  if (call.program == "gpg" && std::any_of(call.args.begin(), call.args.end(),
                                           [](const Arg& a) { return a.text.starts_with("--export-secret"); })) {
    facts.emits_secret = true;
  }
  if (call.program == "cat" && call.node != nullptr) {
    for (const auto& r : call.node->redirects) {
      if (r.op == shell::RedirectOp::heredoc) facts.emitted_text = r.heredoc_body;
      if (r.op == shell::RedirectOp::herestring) facts.emitted_text = r.target.text + "\n";
    }
  }
}

void analyze_environment_dump(const Call& call, Sink&, Facts& facts) {
  if (call.program == "env" || call.program == "printenv" || call.args.empty() ||
      (call.args.size() == 1 && (call.args[0].text == "-p" || call.args[0].text == "-x"))) {
    facts.emits_secret = true;
  }
}

// Backslash escapes as printf and echo -e write them ("\\x72\\x6d" is rm).
std::string decode_escapes(const std::string& text) {
  std::string format;
  for (char c : text) format += c == '%' ? std::string("%%") : std::string(1, c);
  return render_printf(format, {}).value_or(text);
}

// echo and printf: the text they write (for pipes into shells and startup
// files) and, when every argument is known, exactly what they print.
void analyze_echo(const Call& call, Sink& sink, Facts& facts) {
  for (const auto& a : call.args) {
    if (a.word != nullptr && a.word->has_glob && (a.text == "*" || a.text.ends_with("/*"))) {
      facts.listed = resolve(a, sink.context()).scope;
    }
  }
  const bool known = std::none_of(call.args.begin(), call.args.end(), [](const Arg& a) { return a.dynamic; });
  if (call.program == "printf") {
    std::size_t from = 0;
    if (!call.args.empty() && call.args[0].text == "--") from = 1;
    if (from >= call.args.size() || call.args[from].text == "-v") return;
    std::vector<std::string> rest;
    for (std::size_t i = from + 1; i < call.args.size(); ++i) rest.push_back(call.args[i].text);
    const auto rendered = render_printf(call.args[from].text, rest);
    std::string joined = call.args[from].text;
    for (const auto& r : rest) joined += " " + r;
    facts.emitted_text = rendered.value_or(decode_escapes(joined));
    if (known && rendered) facts.output = *rendered;
    return;
  }
  std::string text;
  std::size_t i = 0;
  bool newline = true, escapes = false;
  for (; i < call.args.size() && (call.args[i].text == "-n" || call.args[i].text == "-e" || call.args[i].text == "-E");
       ++i) {
    newline = newline && call.args[i].text != "-n";
    escapes = call.args[i].text == "-e";
  }
  for (; i < call.args.size(); ++i) text += (text.empty() ? "" : " ") + call.args[i].text;
  facts.emitted_text = decode_escapes(text);
  if (known) facts.output = (escapes ? decode_escapes(text) : text) + (newline ? "\n" : "");
}

void analyze_shell(const Call& call, Sink& sink, Facts& facts) {
  facts.is_shell = true;
  bool code_next = false;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const Arg& a = call.args[i];
    if ((a.text.starts_with("-") || a.text.starts_with("+")) && a.text.size() > 1 && a.text != "--") {
      if (a.text[1] != '-' && a.text.find('c') != std::string::npos) code_next = true;
      if (a.text == "-o" || a.text == "+o" || a.text == "-O" || a.text == "+O") ++i;
      if (a.text == "-s") {
        facts.runs_stdin = true;
        return;
      }
      continue;
    }
    if (a.text == "--") continue;
    if (code_next) {
      const Facts inner = a.word != nullptr && !a.word->substitutions.empty() ? sink.substitution_facts(a) : Facts{};
      if (inner.downloads_to_stdout) return sink.add("exec.remote_code", call, "runs the output of a download");
      if (inner.decodes) return sink.add("exec.decoded_code", call);
      return sink.run_code(a.text, CodeLanguage::shell, call);
    }
    const Facts inner = a.word != nullptr && !a.word->substitutions.empty() ? sink.substitution_facts(a) : Facts{};
    if (inner.downloads_to_stdout) return sink.add("exec.remote_code", call, "runs the output of a download");
    if (inner.decodes) return sink.add("exec.decoded_code", call);
    if (a.value == "/dev/stdin" || a.value == "-") {
      facts.runs_stdin = true;
      return;
    }
    facts.executed_files.push_back(a.value);
    return;
  }
  facts.runs_stdin = true;
}

void analyze_eval(const Call& call, Sink& sink, Facts& facts) {
  if (call.program == "source" || call.program == ".") {
    if (call.args.empty()) return;
    const Arg& a = call.args.front();
    const Facts inner = a.word != nullptr && !a.word->substitutions.empty() ? sink.substitution_facts(a) : Facts{};
    if (inner.downloads_to_stdout) return sink.add("exec.remote_code", call, "sources the output of a download");
    if (inner.decodes) return sink.add("exec.decoded_code", call);
    if (a.value == "/dev/stdin") facts.runs_stdin = true;
    facts.executed_files.push_back(a.value);
    return;
  }
  std::string code;
  bool only_substitution = true;
  for (const auto& a : call.args) {
    code += (code.empty() ? "" : " ") + a.text;
    const Facts inner = a.word != nullptr && !a.word->substitutions.empty() ? sink.substitution_facts(a) : Facts{};
    if (inner.downloads_to_stdout) return sink.add("exec.remote_code", call, "evaluates the output of a download");
    if (inner.decodes) return sink.add("exec.decoded_code", call);
    const bool substitution =
        a.word != nullptr && a.word->has_substitution && a.text.starts_with("$(") && a.text.ends_with(")");
    only_substitution = only_substitution && substitution;
    if (a.dynamic && !substitution) return sink.add("shell.eval_dynamic", call);
  }
  if (only_substitution && !call.args.empty())
    return sink.add("exec.unseen_code", call, "evaluates a command's output");
  sink.run_code(code, CodeLanguage::shell, call);
}

void analyze_interpreter(const Call& call, Sink& sink, Facts& facts) {
  const std::string& p = call.program;
  CodeLanguage language = CodeLanguage::python;
  std::string_view code_flags = "c";
  if (p == "perl") language = CodeLanguage::perl, code_flags = "eE";
  if (p == "ruby") language = CodeLanguage::ruby, code_flags = "e";
  if (p == "node" || p == "nodejs" || p == "deno" || p == "bun") language = CodeLanguage::node, code_flags = "ep";
  if (p == "php") language = CodeLanguage::php, code_flags = "r";
  if (p == "lua" || p.starts_with("lua5") || p == "luajit") language = CodeLanguage::lua, code_flags = "e";
  bool in_place = false;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const Arg& a = call.args[i];
    if (a.text == "--eval" || a.text == "--print" || a.text == "-") {
      if (a.text == "-") return void(facts.runs_stdin = true);
      if (i + 1 < call.args.size()) return sink.run_code(call.args[i + 1].text, language, call);
    }
    if (language == CodeLanguage::php && a.text == "-S") return sink.add("net.listener", call, "serves files");
    if (language == CodeLanguage::python && a.text == "-m" && i + 1 < call.args.size()) {
      std::vector<Arg> argv(call.args.begin() + static_cast<long>(i) + 1, call.args.end());
      return sink.run_argv(std::move(argv), call, false);
    }
    if (a.text.starts_with("-") && a.text.size() > 1) {
      // -MModule, -Idir (perl), -rlib (ruby): the rest of the word is a value, not flags.
      const bool valued =
          (language == CodeLanguage::perl && std::string_view("MmIx").find(a.text[1]) != std::string_view::npos) ||
          (language == CodeLanguage::ruby && std::string_view("rI").find(a.text[1]) != std::string_view::npos);
      if (valued) continue;
      if (a.text[1] != '-' && a.text.find('i') != std::string::npos && language == CodeLanguage::perl) {
        in_place = true;
      }
      if (a.text.find_first_of(code_flags) != std::string::npos && a.text[1] != '-' && i + 1 < call.args.size()) {
        if (in_place) sink.add("files.edit_in_place", call);
        const Arg& code = call.args[i + 1];
        const Facts inner =
            code.word != nullptr && !code.word->substitutions.empty() ? sink.substitution_facts(code) : Facts{};
        if (inner.downloads_to_stdout) return sink.add("exec.remote_code", call, "runs the output of a download");
        if (inner.decodes) return sink.add("exec.decoded_code", call);
        return sink.run_code(code.text, language, call);
      }
      continue;
    }
    const Facts inner = a.word != nullptr && !a.word->substitutions.empty() ? sink.substitution_facts(a) : Facts{};
    if (inner.downloads_to_stdout) return sink.add("exec.remote_code", call, "runs the output of a download");
    facts.executed_files.push_back(a.value);
    return;
  }
  facts.runs_stdin = true;
}

// python -m http.server, php -S: a web server for the current directory.
void analyze_server(const Call& call, Sink& sink, Facts&) { sink.add("net.listener", call, "serves files"); }

// ls DIR prints the entries of DIR (for "ls ~ | xargs rm -rf").
void analyze_listing(const Call& call, Sink& sink, Facts& facts) {
  const ArgView view(call.args, "IwT", {"--ignore", "--width", "--tabsize", "--hide", "--format", "--sort"});
  facts.listed = view.operands().empty() ? resolve_path(".", false, sink.context()).scope
                                         : resolve(*view.operands().front(), sink.context()).scope;
}

// GNU parallel: its command runs once per input given after ::: (the
// inputs fill {} or are appended); with no ::: the inputs come from stdin.
void analyze_parallel(const Call& call, Sink& sink, Facts&) {
  static constexpr std::string_view k_valued[] = {"-j", "--jobs",      "-S", "--sshlogin", "-a",       "--arg-file",
                                                  "-d", "--delimiter", "-I", "--results",  "--joblog", "--timeout"};
  std::size_t i = 0;
  while (i < call.args.size() && call.args[i].text.starts_with("-") && !call.args[i].text.starts_with(":::")) {
    const bool valued = std::find(std::begin(k_valued), std::end(k_valued), call.args[i].text) != std::end(k_valued);
    i += valued ? 2 : 1;
  }
  std::vector<Arg> command;
  for (; i < call.args.size() && !call.args[i].text.starts_with(":::"); ++i) command.push_back(call.args[i]);
  std::vector<const Arg*> inputs;
  for (++i; i < call.args.size() && inputs.size() < 16; ++i) {
    if (!call.args[i].text.starts_with(":::")) inputs.push_back(&call.args[i]);
  }
  if (inputs.empty()) return command.empty() ? void() : sink.run_argv(command, call, true);
  for (const Arg* input : inputs) {
    if (command.empty()) {
      sink.run_code(input->text, CodeLanguage::shell, call);
      continue;
    }
    std::vector<Arg> argv = command;
    bool placed = false;
    for (auto& a : argv) {
      if (a.text.find("{}") == std::string::npos) continue;
      a.text = a.value = input->value;
      a.word = input->word;
      placed = true;
    }
    if (!placed) argv.push_back(*input);
    sink.run_argv(std::move(argv), call, false);
  }
}

constexpr AnalyzerEntry k_entries[] = {
    {"parallel", analyze_parallel},
    {"ls", analyze_listing},
    {"http.server", analyze_server},
    {"SimpleHTTPServer", analyze_server},
    {"http-server", analyze_server},
    {"curl", analyze_curl},
    {"wget", analyze_wget},
    {"nc", analyze_netcat},
    {"ncat", analyze_netcat},
    {"netcat", analyze_netcat},
    {"socat", analyze_socat},
    {"telnet", analyze_peer},
    {"openssl", analyze_openssl},
    {"scp", analyze_scp},
    {"sftp", analyze_scp},
    {"base64", analyze_decoder},
    {"base32", analyze_decoder},
    {"basenc", analyze_decoder},
    {"xxd", analyze_decoder},
    {"uudecode", analyze_decoder},
    {"rev", analyze_decoder},
    {"tr", analyze_decoder},
    {"cat", analyze_reader},
    {"head", analyze_reader},
    {"tail", analyze_reader},
    {"less", analyze_reader},
    {"more", analyze_reader},
    {"strings", analyze_reader},
    {"od", analyze_reader},
    {"gpg", analyze_reader},
    {"printenv", analyze_environment_dump},
    {"env", analyze_environment_dump},
    {"echo", analyze_echo},
    {"printf", analyze_echo},
    {"sh", analyze_shell},
    {"bash", analyze_shell},
    {"zsh", analyze_shell},
    {"dash", analyze_shell},
    {"ksh", analyze_shell},
    {"ash", analyze_shell},
    {"mksh", analyze_shell},
    {"fish", analyze_shell},
    {"csh", analyze_shell},
    {"tcsh", analyze_shell},
    {"eval", analyze_eval},
    {"source", analyze_eval},
    {".", analyze_eval},
    {"python", analyze_interpreter},
    {"perl", analyze_interpreter},
    {"ruby", analyze_interpreter},
    {"node", analyze_interpreter},
    {"nodejs", analyze_interpreter},
    {"deno", analyze_interpreter},
    {"bun", analyze_interpreter},
    {"php", analyze_interpreter},
    {"lua", analyze_interpreter},
    {"luajit", analyze_interpreter},
};

}  // namespace

std::span<const AnalyzerEntry> flow_analyzers() { return k_entries; }

}  // namespace cmdai::safety
