#include "manual/command_parts.h"

#include <array>

#include "manual/builtin_options.h"
#include "manual/man_pages.h"

namespace cmdai::manual {
namespace {

// Programs whose first operand names a subcommand with a page of its own
// (git-commit, docker-run ...) or at least a word worth naming.
constexpr std::array<std::string_view, 14> k_with_subcommands{"git",       "docker", "kubectl", "apt", "apt-get",
                                                              "systemctl", "npm",    "cargo",   "pip", "go",
                                                              "podman",    "ip",     "dnf",     "brew"};

bool has_subcommands(std::string_view program) {
  for (auto p : k_with_subcommands) {
    if (p == program) return true;
  }
  return false;
}

std::string redirection_text(const shell::Redirect& r) {
  const std::string target = r.target.text;
  const std::string fd = r.fd >= 0 ? std::to_string(r.fd) : "";
  using shell::RedirectOp;
  switch (r.op) {
    case RedirectOp::read: return fd + "< " + target + ": reads standard input from " + target;
    case RedirectOp::write:
    case RedirectOp::clobber:
      return fd + "> " + target + ": writes " + (fd == "2" ? "errors" : "standard output") + " to " + target +
             " (replacing it)";
    case RedirectOp::append:
      return fd + ">> " + target + ": appends " + (fd == "2" ? "errors" : "standard output") + " to " + target;
    case RedirectOp::dup_write:
      return fd + ">&" + target + ": sends " + (fd.empty() || fd == "1" ? "standard output" : "descriptor " + fd) +
             " where descriptor " + target + " goes";
    case RedirectOp::dup_read: return fd + "<&" + target + ": reads from descriptor " + target;
    case RedirectOp::read_write: return fd + "<> " + target + ": opens " + target + " for reading and writing";
    case RedirectOp::write_all: return "&> " + target + ": writes output and errors to " + target;
    case RedirectOp::append_all: return "&>> " + target + ": appends output and errors to " + target;
    case RedirectOp::heredoc: return "<< " + target + ": standard input is the lines up to " + target;
    case RedirectOp::herestring: return "<<< " + target + ": standard input is this text";
  }
  return target;
}

const OptionText* find_option(const std::optional<Documented>& doc, const std::string& flag) {
  if (!doc) return nullptr;
  const auto it = doc->options.options.find(flag);
  return it == doc->options.options.end() ? nullptr : &it->second;
}

// One word that starts with '-': a known flag, --name=value, or bundled
// short flags (-la); the value of a flag that takes one may be the next word.
void add_flag(StagePart& stage, const std::optional<Documented>& doc, const std::string& word,
              const std::vector<shell::Word>& words, std::size_t& i) {
  const Source source = doc ? doc->source : Source::none;
  const std::size_t eq = word.find('=');
  if (const auto* known = find_option(doc, word.substr(0, eq))) {
    std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    if (eq == std::string::npos && known->takes_value && i + 1 < words.size()) value = words[++i].text;
    stage.flags.push_back({word.substr(0, eq), value, known->description, source});
    return;
  }
  if (word.size() > 2 && word[1] != '-') {  // -k2,2 and -d: a short flag with its value attached
    const std::string flag = word.substr(0, 2);
    if (const auto* known = find_option(doc, flag); known != nullptr && known->takes_value) {
      stage.flags.push_back({flag, word.substr(2), known->description, source});
      return;
    }
  }
  if (word.size() > 2 && word[1] != '-') {  // -la: -l and -a, when the page knows each
    bool all_known = true;
    for (std::size_t k = 1; k < word.size(); ++k) all_known = all_known && find_option(doc, {'-', word[k]});
    if (all_known) {
      for (std::size_t k = 1; k < word.size(); ++k) {
        const std::string flag{'-', word[k]};
        const OptionText* known = find_option(doc, flag);
        // The last of -xzf may take the next word as its value (tar's archive).
        std::string value = k + 1 == word.size() && known->takes_value && i + 1 < words.size() ? words[++i].text : "";
        stage.flags.push_back({flag, value, known->description, source});
      }
      return;
    }
  }
  stage.flags.push_back({word.substr(0, eq), eq == std::string::npos ? "" : word.substr(eq + 1), "", Source::none});
}

StagePart stage_of(const shell::Command& command, const Lookup& lookup) {
  StagePart stage;
  const auto& words = command.words;
  stage.program = words.empty() ? "" : words[0].text;
  std::optional<Documented> doc = stage.program.empty() ? std::nullopt : lookup(stage.program);
  if (doc) {
    stage.summary = doc->options.summary;
    stage.summary_source = doc->source;
  }
  bool after_dashes = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i].text;
    if (!after_dashes && word == "--") {
      after_dashes = true;
    } else if (!after_dashes && word.size() > 1 && word[0] == '-') {
      add_flag(stage, doc, word, words, i);
    } else if (stage.subcommand.empty() && stage.arguments.empty() && has_subcommands(stage.program)) {
      stage.subcommand = word;
      if (auto own = lookup(stage.program + "-" + word)) doc = own;  // git-commit's page knows its flags
    } else {
      stage.arguments.push_back(word);
    }
  }
  for (const auto& r : command.redirects) stage.redirections.push_back(redirection_text(r));
  return stage;
}

void collect(const shell::Script& script, const Lookup& lookup, std::vector<StagePart>& out) {
  for (const auto& item : script.items) {
    for (const auto& command : item.pipeline.commands) {
      if (command.kind == shell::CommandKind::simple && !command.words.empty())
        out.push_back(stage_of(command, lookup));
      for (const auto& body : command.body) collect(body, lookup, out);
    }
  }
}

}  // namespace

std::vector<StagePart> command_parts(const shell::Script& script, const Lookup& lookup) {
  std::vector<StagePart> out;
  collect(script, lookup, out);
  return out;
}

Lookup installed_documentation(Env& env, const std::filesystem::path& cache_dir) {
  return [&env, cache_dir](const std::string& name) -> std::optional<Documented> {
    const std::string program = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    if (auto page = page_options(env, program, cache_dir)) return Documented{std::move(*page), Source::man_page};
    if (auto builtin = builtin_options(program)) return Documented{std::move(*builtin), Source::builtin};
    return std::nullopt;
  };
}

}  // namespace cmdai::manual
